SELECT id, name, provider_uri FROM rdagent_dataset WHERE id IN (:ids)
