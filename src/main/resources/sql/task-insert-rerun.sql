-- A rerun asks for exactly what the original ran: same parameters, same template snapshot.
INSERT INTO rdagent_task (name, scenario, status, origin, dataset_id, priority, params, config_hash, config_manifest,
                          rerun_of, operator, max_attempts)
SELECT name, scenario, 'PENDING', 'rerun', dataset_id, priority, params, config_hash, config_manifest, id, :operator,
       max_attempts
  FROM rdagent_task
 WHERE id = :id
RETURNING id
