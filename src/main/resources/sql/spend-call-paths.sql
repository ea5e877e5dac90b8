SELECT path FROM rdagent_llm_call WHERE task_id = :taskId
