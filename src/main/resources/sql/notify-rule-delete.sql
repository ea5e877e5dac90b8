DELETE FROM rdagent_notify_rule WHERE id = :id
