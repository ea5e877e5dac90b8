INSERT INTO rdagent_token (name, token_sha256, role, created_by) VALUES (:name, :sha256, :role, :createdBy)
RETURNING id, name, role, created_by, created_at, revoked_at, last_used_at
