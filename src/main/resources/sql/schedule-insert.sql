INSERT INTO rdagent_schedule (name, cron, time_zone, task, config_pin, overlap_policy, misfire_policy, enabled, operator)
VALUES (:name, :cron, :timeZone, CAST(:task AS jsonb), CAST(:configPin AS jsonb), :overlapPolicy, :misfirePolicy,
        :enabled, :operator)
RETURNING id
