INSERT INTO rdagent_notify_rule (name, channel_id, events, scope, scope_value, metric, threshold, stall_after_seconds,
                                 digest_time, time_zone, enabled, owner)
VALUES (:name, :channelId, :events, :scope, :scopeValue, :metric, CAST(:threshold AS double precision),
        CAST(:stallAfter AS integer), CAST(:digestTime AS time), :timeZone, :enabled, :owner)
RETURNING id
