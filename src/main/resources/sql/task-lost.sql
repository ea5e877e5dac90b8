-- A running task the scheduler lost (its node died, or restarted without its process): another attempt when
-- max_attempts allows, else FAILED; CANCELLED when a cancel was asked for (it is never run again). Only rows still
-- in the state the caller saw are changed. Every expression reads the row as it was.
UPDATE rdagent_task
   SET status       = CASE WHEN cancel_requested THEN 'CANCELLED' WHEN attempt < max_attempts THEN 'PENDING' ELSE 'FAILED' END,
       error        = :reason || CASE WHEN NOT cancel_requested AND attempt < max_attempts
                                      THEN ' (re-queued as attempt ' || (attempt + 1) || ')' ELSE '' END,
       stop_reason  = CASE WHEN cancel_requested THEN 'cancelled' WHEN attempt < max_attempts THEN NULL ELSE :reason END,
       attempt      = CASE WHEN NOT cancel_requested AND attempt < max_attempts THEN attempt + 1 ELSE attempt END,
       node         = CASE WHEN NOT cancel_requested AND attempt < max_attempts THEN NULL ELSE node END,
       pid          = CASE WHEN NOT cancel_requested AND attempt < max_attempts THEN NULL ELSE pid END,
       started_at   = CASE WHEN NOT cancel_requested AND attempt < max_attempts THEN NULL ELSE started_at END,
       finished_at  = CASE WHEN NOT cancel_requested AND attempt < max_attempts THEN NULL ELSE now() END,
       cancel_requested = false
 WHERE id = :id AND status = 'RUNNING' AND attempt = :attempt
