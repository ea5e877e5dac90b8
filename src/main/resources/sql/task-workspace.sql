UPDATE rdagent_task SET workspace_path = :workspacePath WHERE id = :id AND attempt = :attempt AND status = 'RUNNING'
