-- Every version, newest first per dataset; deleted versions only when asked for (old tasks still name them).
SELECT d.*, p.name, p.market
  FROM rdagent_dataset d
  JOIN rdagent_dataset_pool p ON p.id = d.pool_id
 WHERE d.deleted_at IS NULL OR :includeDeleted
 ORDER BY p.name, d.version DESC
