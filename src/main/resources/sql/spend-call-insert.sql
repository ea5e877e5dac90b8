-- One pass's calls of one task in one statement (a run may log thousands between two passes); a call already
-- stored (same path) is left as it is. Answers the paths stored now.
INSERT INTO rdagent_llm_call (task_id, attempt, path, loop, step, model, prompt_tokens, completion_tokens,
                              reported_usd, cost_usd, priced_by, operator)
SELECT :taskId, :attempt, c.path, c.loop, c.step, c.model, c.prompt_tokens, c.completion_tokens, c.reported_usd,
       CAST(c.cost_usd AS numeric), c.priced_by, :operator
  FROM unnest(CAST(:paths AS varchar[]), CAST(:loops AS integer[]), CAST(:steps AS varchar[]),
              CAST(:models AS varchar[]), CAST(:promptTokens AS bigint[]), CAST(:completionTokens AS bigint[]),
              CAST(:reportedUsd AS float8[]), CAST(:costUsd AS varchar[]), CAST(:pricedBy AS varchar[]))
       AS c(path, loop, step, model, prompt_tokens, completion_tokens, reported_usd, cost_usd, priced_by)
ON CONFLICT (task_id, path) DO NOTHING
RETURNING path
