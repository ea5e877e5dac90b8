UPDATE rdagent_env_history SET replaced_at = :replacedAt, replaced_by = :replacedBy WHERE id = :id
