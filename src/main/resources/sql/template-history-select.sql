SELECT id, file, history_path, sha256 FROM rdagent_template_history WHERE id = :id
