-- After an attempt: sent, failed for good, or pending again after its backoff.
UPDATE rdagent_notify_delivery
   SET attempts = :attempts, status = :status,
       next_attempt_at = now() + make_interval(secs => CAST(:delaySeconds AS double precision)),
       finished_at = CASE WHEN :status = 'pending' THEN NULL ELSE now() END
 WHERE id = :id
