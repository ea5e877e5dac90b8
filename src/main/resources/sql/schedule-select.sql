SELECT * FROM rdagent_schedule WHERE id = :id
