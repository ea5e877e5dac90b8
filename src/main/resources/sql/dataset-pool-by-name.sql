SELECT id, name, market FROM rdagent_dataset_pool WHERE name = :name
