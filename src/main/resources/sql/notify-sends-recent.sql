-- Messages sent to a channel in the last minute (the deliveries batched into one share a send_no).
SELECT count(DISTINCT send_no) FROM rdagent_notify_attempt
 WHERE channel_id = :channelId AND attempted_at > now() - interval '1 minute'
