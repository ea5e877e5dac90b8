DELETE FROM rdagent_llm_quota WHERE subject = :subject
