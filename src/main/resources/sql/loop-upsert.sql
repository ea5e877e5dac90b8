-- Events of one loop arrive one by one (hypothesis, tasks, codes, metric, feedback): each fills its own columns.
INSERT INTO rdagent_task_loop (task_id, loop, hypothesis, reason, tasks, metrics, decision, decision_reason, codes,
                               feedback)
VALUES (:taskId, :loop, :hypothesis, :reason, CAST(:tasks AS jsonb), CAST(:metrics AS jsonb), :decision,
        :decisionReason, CAST(:codes AS jsonb), CAST(:feedback AS jsonb))
ON CONFLICT (task_id, loop) DO UPDATE SET
    hypothesis      = COALESCE(EXCLUDED.hypothesis, rdagent_task_loop.hypothesis),
    reason          = COALESCE(EXCLUDED.reason, rdagent_task_loop.reason),
    tasks           = COALESCE(EXCLUDED.tasks, rdagent_task_loop.tasks),
    metrics         = COALESCE(EXCLUDED.metrics, rdagent_task_loop.metrics),
    decision        = COALESCE(EXCLUDED.decision, rdagent_task_loop.decision),
    decision_reason = COALESCE(EXCLUDED.decision_reason, rdagent_task_loop.decision_reason),
    codes           = COALESCE(EXCLUDED.codes, rdagent_task_loop.codes),
    feedback        = COALESCE(EXCLUDED.feedback, rdagent_task_loop.feedback),
    updated_at      = now()
