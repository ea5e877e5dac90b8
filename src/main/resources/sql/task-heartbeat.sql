-- Renews the lease of this node's running attempts and reports which of them a user asked to cancel. An attempt
-- missing from the answer is no longer this node's: the task was taken over or has moved on.
UPDATE rdagent_task
   SET heartbeat_at = now()
 WHERE status = 'RUNNING' AND node = :node
   AND (id, attempt) IN (SELECT * FROM unnest(CAST(:ids AS bigint[]), CAST(:attempts AS integer[])))
RETURNING id, cancel_requested
