INSERT INTO rdagent_notify_channel (name, type, language, rate_per_minute, enabled, settings, secrets, operator)
VALUES (:name, :type, :language, :rate, :enabled, CAST(:settings AS jsonb), CAST(:secrets AS jsonb), :operator)
RETURNING id
