UPDATE rdagent_task_attempt SET finished_at = now(), outcome = :outcome WHERE id = :id
