SELECT * FROM rdagent_dataset ORDER BY name, version DESC
