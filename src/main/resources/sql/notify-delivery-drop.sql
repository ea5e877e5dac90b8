-- The channel is disabled (or gone): its queued deliveries fail without an attempt.
UPDATE rdagent_notify_delivery SET status = 'failed', finished_at = clock_timestamp()
 WHERE channel_id = :channelId AND status = 'pending'
