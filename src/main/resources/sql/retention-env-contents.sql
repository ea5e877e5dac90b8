-- The .env contents some version still has: their kept copies stay.
SELECT DISTINCT sha256 FROM rdagent_env_history WHERE sha256 IS NOT NULL
