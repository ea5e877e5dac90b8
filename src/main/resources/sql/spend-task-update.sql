UPDATE rdagent_task SET cost = CAST(:cost AS jsonb), cost_usd = :usd WHERE id = :taskId
