SELECT id FROM rdagent_task WHERE dataset_id = :id AND status IN ('PENDING', 'RUNNING') ORDER BY id
