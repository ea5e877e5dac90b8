UPDATE rdagent_dataset SET is_default = true WHERE id = :id
