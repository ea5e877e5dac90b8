SELECT id, attempt FROM rdagent_task WHERE status = 'RUNNING' AND node = :node
