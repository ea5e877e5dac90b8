UPDATE rdagent_notify_channel
   SET name = :name, type = :type, language = :language, rate_per_minute = :rate, enabled = :enabled,
       settings = CAST(:settings AS jsonb), secrets = CAST(:secrets AS jsonb), operator = :operator, updated_at = now()
 WHERE id = :id
