INSERT INTO rdagent_task_attempt (task_id, attempt, node, pid, pid_started, pid_space)
SELECT id, attempt, :node, :pid, :pidStarted, :pidSpace FROM rdagent_task
 WHERE id = :taskId AND attempt = :attempt AND node = :node AND status = 'RUNNING'
