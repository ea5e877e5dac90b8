-- A loop's experiment workspaces as the run's reading found them (the whole list, replaced), and the metrics of
-- the loop's own experiment; RD-Agent's metric event may have filled those already, with the same numbers.
INSERT INTO rdagent_task_loop (task_id, loop, experiments, metrics)
VALUES (:taskId, :loop, CAST(:experiments AS jsonb), CAST(:metrics AS jsonb))
ON CONFLICT (task_id, loop) DO UPDATE SET
    experiments = EXCLUDED.experiments,
    metrics     = COALESCE(EXCLUDED.metrics, rdagent_task_loop.metrics),
    updated_at  = now()
