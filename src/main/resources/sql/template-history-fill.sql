-- The content of a version migrated without one, read from the live file.
UPDATE rdagent_template_history SET sha256 = :sha256 WHERE id = :id AND sha256 IS NULL
