-- New events, each taken by one node; processed in the transaction that queues their deliveries.
UPDATE rdagent_notify_event
   SET processed_at = now()
 WHERE id IN (SELECT id FROM rdagent_notify_event WHERE processed_at IS NULL ORDER BY id LIMIT 200
              FOR UPDATE SKIP LOCKED)
RETURNING id, kind, task_id, schedule_id, rule_id, payload::text AS payload
