UPDATE rdagent_task_attempt SET finished_at = now(), outcome = :outcome
 WHERE task_id = :taskId AND finished_at IS NULL AND node = :node
