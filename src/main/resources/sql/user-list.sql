SELECT id, username, role, enabled, created_at FROM rdagent_user ORDER BY username
