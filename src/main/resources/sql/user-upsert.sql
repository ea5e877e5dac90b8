INSERT INTO rdagent_user (username, password_hash, role) VALUES (:username, :passwordHash, :role)
ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = EXCLUDED.role, enabled = true
