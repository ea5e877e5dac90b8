SELECT subject, daily_usd, monthly_usd, updated_by, updated_at FROM rdagent_llm_quota ORDER BY subject
