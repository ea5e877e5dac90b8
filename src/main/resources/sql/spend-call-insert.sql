-- One pass's calls of one task in one statement (a run may log thousands between two passes); a call already
-- stored (same path) is left as it is. Answers the paths stored now. A call counts when RD-Agent made it (its file's
-- name), not when it was read (after a restart, perhaps the next day), within the task's life: never before the
-- task existed, never in the future.
INSERT INTO rdagent_llm_call (task_id, attempt, path, loop, step, model, prompt_tokens, completion_tokens,
                              reported_usd, cost_usd, priced_by, operator, recorded_at)
SELECT :taskId, :attempt, c.path, c.loop, c.step, c.model, c.prompt_tokens, c.completion_tokens, c.reported_usd,
       CAST(c.cost_usd AS numeric), c.priced_by, :operator,
       LEAST(now(), GREATEST((SELECT created_at FROM rdagent_task WHERE id = :taskId),
                             COALESCE(CAST(c.called_at AS timestamptz), now())))
  FROM unnest(CAST(:paths AS varchar[]), CAST(:loops AS integer[]), CAST(:steps AS varchar[]),
              CAST(:calledAt AS varchar[]), CAST(:models AS varchar[]), CAST(:promptTokens AS bigint[]),
              CAST(:completionTokens AS bigint[]), CAST(:reportedUsd AS float8[]), CAST(:costUsd AS varchar[]),
              CAST(:pricedBy AS varchar[]))
       AS c(path, loop, step, called_at, model, prompt_tokens, completion_tokens, reported_usd, cost_usd, priced_by)
ON CONFLICT (task_id, path) DO NOTHING
RETURNING path
