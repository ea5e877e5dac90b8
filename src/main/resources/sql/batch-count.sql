SELECT count(*) FROM rdagent_batch
