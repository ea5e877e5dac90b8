SELECT model, prompt_per_m, completion_per_m, override, updated_by, updated_at FROM rdagent_llm_price ORDER BY model
