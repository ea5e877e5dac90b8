SELECT count(*) FROM rdagent_audit
