-- After an attempt: sent, failed for good, or pending again after its backoff. clock_timestamp(): the transaction
-- may have been sending for a while.
UPDATE rdagent_notify_delivery
   SET attempts = :attempts, status = :status,
       next_attempt_at = clock_timestamp() + make_interval(secs => CAST(:delaySeconds AS double precision)),
       finished_at = CASE WHEN :status = 'pending' THEN NULL ELSE clock_timestamp() END
 WHERE id = :id AND status = 'pending'
