-- Renews the lease of this node's running tasks and reports which of them a user asked to cancel.
UPDATE rdagent_task
   SET heartbeat_at = now()
 WHERE status = 'RUNNING' AND node = :node AND id = ANY(:ids)
RETURNING id, cancel_requested
