INSERT INTO rdagent_task_attempt (task_id, attempt, node, pid, pid_started)
SELECT id, attempt, :node, :pid, :pidStarted FROM rdagent_task WHERE id = :taskId
