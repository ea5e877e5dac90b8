SELECT loop, model, priced_by, count(*) AS calls, sum(prompt_tokens) AS prompt_tokens,
       sum(completion_tokens) AS completion_tokens, sum(cost_usd) AS usd
  FROM rdagent_llm_call
 WHERE task_id = :taskId
 GROUP BY loop, model, priced_by
 ORDER BY loop NULLS FIRST, model, priced_by
