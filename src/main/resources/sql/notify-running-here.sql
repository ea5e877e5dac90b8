SELECT id FROM rdagent_task WHERE status = 'RUNNING' AND node = :node ORDER BY id
