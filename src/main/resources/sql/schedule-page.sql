SELECT * FROM rdagent_schedule ORDER BY id DESC LIMIT :size OFFSET :offset
