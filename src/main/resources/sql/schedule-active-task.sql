-- The schedule's task that the overlap policy waits for, if any.
SELECT id, status
  FROM rdagent_task
 WHERE schedule_id = :scheduleId AND status IN ('PENDING', 'RUNNING')
 ORDER BY id DESC
 LIMIT 1
