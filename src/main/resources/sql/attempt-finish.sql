UPDATE rdagent_task_attempt SET finished_at = now(), outcome = :outcome
 WHERE task_id = :taskId AND attempt = :attempt AND node = :node AND finished_at IS NULL
