-- The rules that can deliver now: enabled, on an enabled channel.
SELECT r.id, r.name, r.channel_id, r.events, r.scope, r.scope_value, r.metric, r.threshold, r.stall_after_seconds,
       r.digest_time, r.time_zone, r.enabled, r.owner, r.created_at
  FROM rdagent_notify_rule r
  JOIN rdagent_notify_channel c ON c.id = r.channel_id
 WHERE r.enabled AND c.enabled
 ORDER BY r.id
