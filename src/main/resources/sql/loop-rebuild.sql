-- A loop whose events never reached the scheduler (it was down, or listening on another port), rebuilt after the
-- run from run.log and the experiment workspaces: what events said is kept, only what is missing is filled in.
INSERT INTO rdagent_task_loop (task_id, loop, metrics, started_at)
VALUES (:taskId, :loop, CAST(:metrics AS jsonb), coalesce(CAST(:startedAt AS timestamptz), now()))
ON CONFLICT (task_id, loop) DO UPDATE SET metrics = COALESCE(rdagent_task_loop.metrics, EXCLUDED.metrics)
