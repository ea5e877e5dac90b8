-- A new attempt of the same task in the same workspace; RD-Agent continues from its last checkpoint.
UPDATE rdagent_task
   SET status = 'PENDING', attempt = attempt + 1, cancel_requested = false, exit_code = NULL, error = NULL,
       stop_reason = NULL, pid = NULL, node = NULL, started_at = NULL, finished_at = NULL, heartbeat_at = NULL
 WHERE id = :id AND status IN ('FAILED', 'CANCELLED', 'TIMED_OUT')
