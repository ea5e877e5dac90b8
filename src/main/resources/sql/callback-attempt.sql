INSERT INTO rdagent_task_callback (task_id, attempt, status_code, error)
VALUES (:taskId, :attempt, :statusCode, :error)
