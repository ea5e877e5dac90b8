-- The runs of a comparison with their dataset's name and version.
SELECT t.id, t.name, t.status, t.scenario, t.dataset_id, p.name AS dataset_name, d.version AS dataset_version,
       t.params, t.config_manifest, t.metrics, t.tags, t.starred, t.note, t.created_at, t.finished_at
  FROM rdagent_task t
  LEFT JOIN rdagent_dataset d ON d.id = t.dataset_id
  LEFT JOIN rdagent_dataset_pool p ON p.id = d.pool_id
 WHERE t.id = ANY(:ids)
