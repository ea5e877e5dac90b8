-- The outcome of one attempt: written only while that attempt still holds the task, never over a newer one.
UPDATE rdagent_task
   SET status = :status, exit_code = :exitCode, stop_reason = :stopReason, error = :error,
       metrics = CAST(:metrics AS jsonb), warnings = CAST(:warnings AS jsonb), archive_path = :archivePath,
       finished_at = now()
 WHERE id = :id AND attempt = :attempt AND status = 'RUNNING'
