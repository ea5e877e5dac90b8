-- One alert per stall: the activity a stall is measured from is kept; the same activity again alerts no more.
INSERT INTO rdagent_notify_stall (rule_id, task_id, since)
VALUES (:ruleId, :taskId, :since)
ON CONFLICT (rule_id, task_id) DO UPDATE SET since = EXCLUDED.since
 WHERE rdagent_notify_stall.since < EXCLUDED.since
RETURNING rule_id
