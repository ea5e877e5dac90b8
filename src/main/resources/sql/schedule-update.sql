UPDATE rdagent_schedule
   SET name = :name, cron = :cron, time_zone = :timeZone, task = CAST(:task AS jsonb),
       config_pin = CAST(:configPin AS jsonb), overlap_policy = :overlapPolicy, misfire_policy = :misfirePolicy,
       enabled = :enabled, operator = :operator, updated_at = now()
 WHERE id = :id
