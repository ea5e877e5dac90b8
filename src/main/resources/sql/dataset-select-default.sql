SELECT d.id, p.name, p.market, d.version, d.provider_uri, d.deleted_at
  FROM rdagent_dataset d
  JOIN rdagent_dataset_pool p ON p.id = d.pool_id
 WHERE d.is_default AND d.deleted_at IS NULL
