SELECT count(*) FROM rdagent_schedule
