UPDATE rdagent_task SET pid = :pid, heartbeat_at = now() WHERE id = :id
