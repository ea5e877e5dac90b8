-- Due deliveries, each leased to one node for :leaseSeconds (longer than any send takes): a node that dies while
-- sending leaves them to be sent again when the lease ends.
UPDATE rdagent_notify_delivery
   SET next_attempt_at = now() + make_interval(secs => :leaseSeconds)
 WHERE id IN (SELECT id FROM rdagent_notify_delivery
               WHERE status = 'pending' AND next_attempt_at <= now()
               ORDER BY id LIMIT 500
                 FOR UPDATE SKIP LOCKED)
RETURNING id, channel_id, attempts, message::text AS message
