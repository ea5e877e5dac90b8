-- the LLM spend of a digest's day: 0 without calls, NULL when calls were made but none could be priced
SELECT CASE WHEN count(*) = 0 THEN 0 ELSE sum(cost_usd) END
  FROM rdagent_llm_call
 WHERE recorded_at >= :from AND recorded_at < :to
