-- The channel is gone or disabled: its queued deliveries fail without an attempt.
UPDATE rdagent_notify_delivery SET status = 'failed', finished_at = now() WHERE id IN (:ids)
