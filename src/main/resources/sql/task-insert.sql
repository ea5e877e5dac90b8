INSERT INTO rdagent_task (name, scenario, status, origin, batch_id, schedule_id, rerun_of, cloned_from, dataset_id,
                          priority, params, config_hash, config_manifest, operator, max_attempts)
VALUES (:name, :scenario, 'PENDING', :origin, :batchId, :scheduleId, :rerunOf, :clonedFrom, :datasetId,
        :priority, CAST(:params AS jsonb), :configHash, CAST(:configManifest AS jsonb), :operator, :maxAttempts)
RETURNING id
