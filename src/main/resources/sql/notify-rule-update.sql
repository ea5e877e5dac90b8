UPDATE rdagent_notify_rule
   SET name = :name, channel_id = :channelId, events = :events, scope = :scope, scope_value = :scopeValue,
       metric = :metric, threshold = CAST(:threshold AS double precision), stall_after_seconds = CAST(:stallAfter AS integer),
       digest_time = CAST(:digestTime AS time), time_zone = :timeZone, enabled = :enabled
 WHERE id = :id
