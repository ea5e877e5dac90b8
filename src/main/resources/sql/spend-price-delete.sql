DELETE FROM rdagent_llm_price WHERE model = :model
