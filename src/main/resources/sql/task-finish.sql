UPDATE rdagent_task
   SET status = :status, exit_code = :exitCode, stop_reason = :stopReason, error = :error,
       metrics = CAST(:metrics AS jsonb), warnings = CAST(:warnings AS jsonb), archive_path = :archivePath,
       finished_at = now()
 WHERE id = :id AND status = 'RUNNING'
