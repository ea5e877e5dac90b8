-- The token's owner and role. last_used_at is written at most once a minute: an UPDATE on every request made
-- concurrent requests of one token queue on its row lock and each wait for a commit.
WITH token AS (
    SELECT id, name, role, last_used_at
      FROM rdagent_token
     WHERE token_sha256 = :sha256 AND revoked_at IS NULL
), touched AS (
    UPDATE rdagent_token t
       SET last_used_at = now()
      FROM token
     WHERE t.id = token.id
       AND (token.last_used_at IS NULL OR token.last_used_at < now() - interval '1 minute')
)
SELECT name, role FROM token
