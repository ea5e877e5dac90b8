INSERT INTO rdagent_user (username, password_hash, role) VALUES (:username, :passwordHash, :role)
ON CONFLICT (username) DO NOTHING
