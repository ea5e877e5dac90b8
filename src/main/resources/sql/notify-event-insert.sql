INSERT INTO rdagent_notify_event (kind, task_id, schedule_id, rule_id, payload)
VALUES (:kind, CAST(:taskId AS bigint), CAST(:scheduleId AS bigint), CAST(:ruleId AS bigint), CAST(:payload AS jsonb))
