UPDATE rdagent_env_history SET history_path = :historyPath WHERE id = :id AND history_path IS NULL
