-- Records one fire and stamps its schedule with it; records nothing when the schedule is gone.
WITH schedule AS (
    UPDATE rdagent_schedule
       SET last_fire_at = now(), last_task_id = COALESCE(CAST(:taskId AS bigint), last_task_id)
     WHERE id = :scheduleId
    RETURNING id)
INSERT INTO rdagent_schedule_fire (schedule_id, fired_by, scheduled_at, outcome, task_id, reason, node)
SELECT id, :firedBy, CAST(:scheduledAt AS timestamptz), :outcome, CAST(:taskId AS bigint), CAST(:reason AS text), :node
  FROM schedule
