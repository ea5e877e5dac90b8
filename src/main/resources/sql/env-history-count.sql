SELECT count(*) FROM rdagent_env_history WHERE (CAST(:file AS text) IS NULL OR file = :file)
