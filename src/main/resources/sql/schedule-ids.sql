SELECT id FROM rdagent_schedule ORDER BY id
