DELETE FROM rdagent_schedule_fire
 WHERE schedule_id = :scheduleId
   AND id NOT IN (SELECT id FROM rdagent_schedule_fire WHERE schedule_id = :scheduleId ORDER BY id DESC LIMIT :keep)
