INSERT INTO rdagent_llm_quota (subject, daily_usd, monthly_usd, updated_by)
VALUES (:subject, :daily, :monthly, :operator)
ON CONFLICT (subject) DO UPDATE
   SET daily_usd = EXCLUDED.daily_usd, monthly_usd = EXCLUDED.monthly_usd, updated_by = EXCLUDED.updated_by,
       updated_at = now()
