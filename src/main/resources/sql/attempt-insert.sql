-- Once per attempt: a retry after an outage that hid a committed insert adds no second row.
INSERT INTO rdagent_task_attempt (task_id, attempt, node, pid, pid_started, pid_space)
SELECT id, attempt, :node, :pid, :pidStarted, :pidSpace FROM rdagent_task
 WHERE id = :taskId AND attempt = :attempt AND node = :node AND status = 'RUNNING'
   AND NOT EXISTS (SELECT 1 FROM rdagent_task_attempt WHERE task_id = :taskId AND attempt = :attempt)
