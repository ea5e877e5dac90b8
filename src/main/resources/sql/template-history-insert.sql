INSERT INTO rdagent_template_history (file, history_path, task_id, sha256, operator, note, action)
VALUES (:file, :historyPath, :taskId, :sha256, :operator, :note, :action)
RETURNING id
