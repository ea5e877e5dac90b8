SELECT id FROM rdagent_task WHERE finished_at >= :from AND finished_at < :to ORDER BY id LIMIT 1000
