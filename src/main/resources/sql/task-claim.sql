-- One atomic claim per poll: SKIP LOCKED lets several nodes poll at once without taking the same task,
-- and the capacity check keeps this node within scheduler.worker.max-concurrent-runs.
UPDATE rdagent_task
   SET status = 'RUNNING', node = :#${properties:scheduler.node.id}, started_at = now(), heartbeat_at = now()
 WHERE id = (SELECT id
               FROM rdagent_task
              WHERE status = 'PENDING'
                AND (SELECT count(*) FROM rdagent_task
                      WHERE status = 'RUNNING' AND node = :#${properties:scheduler.node.id})
                    < CAST(:#${properties:scheduler.worker.max-concurrent-runs} AS integer)
              ORDER BY priority DESC, id
              LIMIT 1
              FOR UPDATE SKIP LOCKED)
RETURNING id, attempt
