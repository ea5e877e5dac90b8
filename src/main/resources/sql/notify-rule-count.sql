SELECT count(*) FROM rdagent_notify_rule
