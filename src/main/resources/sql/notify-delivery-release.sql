-- Leased but not sent (the channel's rate limit is used up, or it is disabled): due again after :delaySeconds.
UPDATE rdagent_notify_delivery
   SET next_attempt_at = now() + make_interval(secs => CAST(:delaySeconds AS double precision))
 WHERE id IN (:ids)
