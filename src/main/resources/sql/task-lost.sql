-- A running task the scheduler lost (its node died, or restarted without its process): another attempt when
-- max_attempts allows, else FAILED; CANCELLED when a cancel was asked for (it is never run again). Only rows still
-- in the state the caller saw are changed.
UPDATE rdagent_task t
   SET status       = CASE WHEN t.cancel_requested THEN 'CANCELLED' WHEN r.requeue THEN 'PENDING' ELSE 'FAILED' END,
       error        = :reason || CASE WHEN r.requeue THEN ' (re-queued as attempt ' || (t.attempt + 1) || ')' ELSE '' END,
       stop_reason  = CASE WHEN t.cancel_requested THEN 'cancelled' WHEN r.requeue THEN NULL ELSE :reason END,
       attempt      = CASE WHEN r.requeue THEN t.attempt + 1 ELSE t.attempt END,
       node         = CASE WHEN r.requeue THEN NULL ELSE t.node END,
       pid          = CASE WHEN r.requeue THEN NULL ELSE t.pid END,
       started_at   = CASE WHEN r.requeue THEN NULL ELSE t.started_at END,
       finished_at  = CASE WHEN r.requeue THEN NULL ELSE now() END,
       cancel_requested = false
  FROM (SELECT id, NOT cancel_requested AND attempt < max_attempts AS requeue FROM rdagent_task WHERE id = :id) r
 WHERE t.id = r.id AND t.status = 'RUNNING' AND t.attempt = :attempt
