UPDATE rdagent_task SET pid = :pid, pid_started = :pidStarted, heartbeat_at = now() WHERE id = :id
