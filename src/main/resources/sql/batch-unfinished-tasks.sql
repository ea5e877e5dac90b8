SELECT id FROM rdagent_task WHERE batch_id = :id AND status IN ('PENDING', 'RUNNING') ORDER BY id
