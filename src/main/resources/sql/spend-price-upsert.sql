INSERT INTO rdagent_llm_price (model, prompt_per_m, completion_per_m, override, updated_by)
VALUES (:model, :prompt, :completion, :override, :operator)
ON CONFLICT (model) DO UPDATE
   SET prompt_per_m = EXCLUDED.prompt_per_m, completion_per_m = EXCLUDED.completion_per_m,
       override = EXCLUDED.override, updated_by = EXCLUDED.updated_by, updated_at = now()
