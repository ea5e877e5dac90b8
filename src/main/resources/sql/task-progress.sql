UPDATE rdagent_task SET progress = CAST(:progress AS jsonb) WHERE id = :id AND attempt = :attempt AND status = 'RUNNING'
