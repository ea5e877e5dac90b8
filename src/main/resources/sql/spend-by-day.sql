SELECT to_char(recorded_at AT TIME ZONE :zone, 'YYYY-MM-DD') AS key, count(*) AS calls, sum(prompt_tokens) AS prompt_tokens,
       sum(completion_tokens) AS completion_tokens, sum(cost_usd) AS usd,
       count(*) FILTER (WHERE cost_usd IS NULL) AS unpriced_calls
  FROM rdagent_llm_call
 WHERE recorded_at >= :since AND recorded_at < :until
 GROUP BY 1
 ORDER BY 1
