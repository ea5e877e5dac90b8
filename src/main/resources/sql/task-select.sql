SELECT * FROM rdagent_task WHERE id = :id
