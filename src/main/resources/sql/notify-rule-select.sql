SELECT id, name, channel_id, events, scope, scope_value, metric, threshold, stall_after_seconds, digest_time,
       time_zone, enabled, owner, created_at
  FROM rdagent_notify_rule
 WHERE id = :id
