-- A running task the scheduler lost (its node died, or restarted without its process): another attempt when
-- max_attempts allows, else FAILED. Only rows still in the state the caller saw are changed.
UPDATE rdagent_task
   SET status       = CASE WHEN attempt < max_attempts THEN 'PENDING' ELSE 'FAILED' END,
       error        = :reason || CASE WHEN attempt < max_attempts THEN ' (re-queued as attempt ' || (attempt + 1) || ')' ELSE '' END,
       stop_reason  = CASE WHEN attempt < max_attempts THEN NULL ELSE :reason END,
       attempt      = CASE WHEN attempt < max_attempts THEN attempt + 1 ELSE attempt END,
       node         = CASE WHEN attempt < max_attempts THEN NULL ELSE node END,
       pid          = CASE WHEN attempt < max_attempts THEN NULL ELSE pid END,
       started_at   = CASE WHEN attempt < max_attempts THEN NULL ELSE started_at END,
       finished_at  = CASE WHEN attempt < max_attempts THEN NULL ELSE now() END,
       cancel_requested = false
 WHERE id = :id AND status = 'RUNNING' AND attempt = :attempt
