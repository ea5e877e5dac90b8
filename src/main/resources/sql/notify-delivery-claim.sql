-- A channel's due deliveries, oldest first, as many as its rate limit lets go now. Locked until the transaction that
-- sends them has recorded how it went: no other node sends them meanwhile, however long the sending takes, and one
-- whose node dies while sending is due again at once.
SELECT id, attempts, message::text AS message
  FROM rdagent_notify_delivery
 WHERE channel_id = :channelId AND status = 'pending' AND next_attempt_at <= now()
 ORDER BY id
 LIMIT :limit
   FOR UPDATE SKIP LOCKED
