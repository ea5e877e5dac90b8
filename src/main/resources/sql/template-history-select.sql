SELECT * FROM rdagent_template_history WHERE id = :id
