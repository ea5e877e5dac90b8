SELECT id, name, status, created_at, started_at, finished_at
  FROM rdagent_task
 WHERE schedule_id = :scheduleId
 ORDER BY id DESC
 LIMIT :limit
