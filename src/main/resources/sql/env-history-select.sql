SELECT * FROM rdagent_env_history WHERE id = :id
