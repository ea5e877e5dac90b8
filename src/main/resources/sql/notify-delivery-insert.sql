INSERT INTO rdagent_notify_delivery (event_id, rule_id, channel_id, kind, task_id, message)
VALUES (:eventId, :ruleId, :channelId, :kind, CAST(:taskId AS bigint), CAST(:message AS jsonb))
