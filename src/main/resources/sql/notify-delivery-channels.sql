-- The channels with deliveries due, each then sent to in a transaction of its own.
SELECT DISTINCT channel_id FROM rdagent_notify_delivery WHERE status = 'pending' AND next_attempt_at <= now()
