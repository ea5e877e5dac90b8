-- Every version of one dataset, deleted ones included, newest first.
SELECT d.*, p.name, p.market
  FROM rdagent_dataset d
  JOIN rdagent_dataset_pool p ON p.id = d.pool_id
 WHERE d.pool_id = :poolId
 ORDER BY d.version DESC
