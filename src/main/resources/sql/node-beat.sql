INSERT INTO rdagent_node (id, roles, capacity, host, process_id, started_at, heartbeat_at)
VALUES (:id, :roles, :capacity, :host, :processId, now(), now())
ON CONFLICT (id) DO UPDATE SET roles = EXCLUDED.roles, capacity = EXCLUDED.capacity, host = EXCLUDED.host,
    process_id = EXCLUDED.process_id, heartbeat_at = now()
