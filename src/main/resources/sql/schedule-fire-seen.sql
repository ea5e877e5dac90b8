-- Whether this cron time already fired (Quartz re-runs a job whose node died mid-fire).
SELECT count(*) FROM rdagent_schedule_fire WHERE schedule_id = :scheduleId AND scheduled_at = :scheduledAt
