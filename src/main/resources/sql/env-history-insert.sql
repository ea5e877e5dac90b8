INSERT INTO rdagent_env_history (file, history_path, task_id, sha256, operator, note, kind, created_at)
VALUES (:file, :historyPath, :taskId, :sha256, :operator, :note, :kind, :createdAt)
RETURNING id
