-- One atomic claim per poll: SKIP LOCKED lets several nodes poll at once without taking the same task,
-- and the capacity check keeps this node within scheduler.worker.max-concurrent-runs. A task of a batch starts
-- only while its batch is active and runs fewer than the batch's max_concurrent tasks; this statement's snapshot
-- may miss another node's claim of the same instant, so the trigger rdagent_batch_admits_start (V75) checks again.
UPDATE rdagent_task
   SET status = 'RUNNING', node = :#${properties:scheduler.node.id}, started_at = now(), heartbeat_at = now()
 WHERE id = (SELECT t.id
               FROM rdagent_task t
              WHERE t.status = 'PENDING'
                AND (SELECT count(*) FROM rdagent_task
                      WHERE status = 'RUNNING' AND node = :#${properties:scheduler.node.id})
                    < CAST(:#${properties:scheduler.worker.max-concurrent-runs} AS integer)
                AND (t.batch_id IS NULL
                     OR EXISTS (SELECT 1
                                  FROM rdagent_batch b
                                 WHERE b.id = t.batch_id AND b.state = 'active'
                                   AND (b.max_concurrent IS NULL
                                        OR (SELECT count(*) FROM rdagent_task r
                                             WHERE r.batch_id = b.id AND r.status = 'RUNNING') < b.max_concurrent)))
              ORDER BY t.priority DESC, t.id
              LIMIT 1
              FOR UPDATE OF t SKIP LOCKED)
RETURNING id, attempt
