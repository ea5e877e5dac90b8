-- Soft delete, and only while no pending or running task uses the version: the check and the change are one
-- statement. The row and its file stay for the tasks that ran on it; a deleted version is no longer the default.
UPDATE rdagent_dataset d
   SET deleted_at = now(), deleted_by = :operator, is_default = false
 WHERE d.id = :id
   AND d.deleted_at IS NULL
   AND NOT EXISTS (SELECT 1 FROM rdagent_task t WHERE t.dataset_id = d.id AND t.status IN ('PENDING', 'RUNNING'))
