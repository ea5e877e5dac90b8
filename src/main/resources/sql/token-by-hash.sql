UPDATE rdagent_token SET last_used_at = now()
 WHERE token_sha256 = :sha256 AND revoked_at IS NULL
RETURNING name, role
