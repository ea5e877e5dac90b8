SELECT * FROM rdagent_dataset WHERE id = :id
