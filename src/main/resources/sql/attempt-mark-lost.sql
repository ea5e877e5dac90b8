-- The row stays open: the node that ran it closes it once it has made sure the process group is dead.
UPDATE rdagent_task_attempt SET outcome = 'node lost' WHERE task_id = :taskId AND attempt = :attempt AND finished_at IS NULL
