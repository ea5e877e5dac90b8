-- The newest version a new upload is compared with: deleted versions do not count.
SELECT d.*, p.name, p.market
  FROM rdagent_dataset d
  JOIN rdagent_dataset_pool p ON p.id = d.pool_id
 WHERE d.pool_id = :poolId AND d.deleted_at IS NULL
 ORDER BY d.version DESC
 LIMIT 1
