-- Results of a run as they come: only while this attempt runs, so a late tick never overwrites the final summary.
UPDATE rdagent_task SET metrics = CAST(:metrics AS jsonb) WHERE id = :id AND attempt = :attempt AND status = 'RUNNING'
