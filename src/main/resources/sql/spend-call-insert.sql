INSERT INTO rdagent_llm_call (task_id, attempt, path, loop, step, model, prompt_tokens, completion_tokens,
                              reported_usd, cost_usd, priced_by, operator)
VALUES (:taskId, :attempt, :path, :loop, :step, :model, :promptTokens, :completionTokens,
        :reportedUsd, :costUsd, :pricedBy, :operator)
ON CONFLICT (task_id, path) DO NOTHING
