-- Spend in [since, until) by day (in :zone), model or user (the task's operator), as :groupBy says.
SELECT CASE CAST(:groupBy AS text)
           WHEN 'day' THEN to_char(recorded_at AT TIME ZONE :zone, 'YYYY-MM-DD')
           WHEN 'model' THEN model
           ELSE operator
       END AS key,
       count(*) AS calls, sum(prompt_tokens) AS prompt_tokens, sum(completion_tokens) AS completion_tokens,
       sum(cost_usd) AS usd, count(*) FILTER (WHERE cost_usd IS NULL) AS unpriced_calls
  FROM rdagent_llm_call
 WHERE recorded_at >= :since AND recorded_at < :until
 GROUP BY 1
 ORDER BY 1
