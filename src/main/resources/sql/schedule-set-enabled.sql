UPDATE rdagent_schedule SET enabled = :enabled, operator = :operator, updated_at = now() WHERE id = :id
