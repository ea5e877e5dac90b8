SELECT * FROM rdagent_dataset WHERE name = :name ORDER BY version DESC LIMIT 1
