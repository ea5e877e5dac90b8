SELECT d.*, p.name, p.market
  FROM rdagent_dataset d
  JOIN rdagent_dataset_pool p ON p.id = d.pool_id
 WHERE d.id = :id
