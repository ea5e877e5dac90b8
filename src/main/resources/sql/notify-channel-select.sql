SELECT id, name, type, language, rate_per_minute, enabled, settings::text AS settings, secrets::text AS secrets,
       operator, created_at, updated_at
  FROM rdagent_notify_channel
 WHERE id = :id
