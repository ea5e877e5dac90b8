-- what was spent since an instant, by one operator (a user or token) or by everyone (operator NULL)
SELECT coalesce(sum(cost_usd), 0)
  FROM rdagent_llm_call
 WHERE recorded_at >= :since
   AND (CAST(:operator AS varchar) IS NULL OR operator = :operator)
