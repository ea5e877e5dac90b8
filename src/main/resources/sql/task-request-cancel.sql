UPDATE rdagent_task SET cancel_requested = true WHERE id = :id AND status = 'RUNNING'
