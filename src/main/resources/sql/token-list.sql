SELECT id, name, role, created_by, created_at, revoked_at, last_used_at FROM rdagent_token ORDER BY id
