SELECT count(*) FROM rdagent_template_history WHERE (CAST(:file AS text) IS NULL OR file = :file)
