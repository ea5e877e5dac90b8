-- Only while this attempt still holds the task: a run the task has moved on from records nothing.
UPDATE rdagent_task SET pid = :pid, pid_started = :pidStarted, heartbeat_at = now()
 WHERE id = :id AND attempt = :attempt AND node = :node AND status = 'RUNNING'
