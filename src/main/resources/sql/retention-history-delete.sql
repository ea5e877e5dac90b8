-- Both history tables in one statement, so a clean-up never leaves one half done.
WITH templates AS (DELETE FROM rdagent_template_history WHERE id = ANY(:templateIds))
DELETE FROM rdagent_env_history WHERE id = ANY(:envIds)
