SELECT * FROM rdagent_schedule_fire WHERE schedule_id = :scheduleId ORDER BY id DESC LIMIT :limit
