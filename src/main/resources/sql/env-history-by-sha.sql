-- The newest version of a file with this content (tasks from before versions named only the content they ran).
SELECT * FROM rdagent_env_history WHERE file = :file AND sha256 = :sha256 ORDER BY id DESC LIMIT 1
