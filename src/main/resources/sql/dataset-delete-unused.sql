-- Deletes only while no pending or running task uses the dataset: the check and the delete are one statement.
DELETE FROM rdagent_dataset d
 WHERE d.id = :id
   AND NOT EXISTS (SELECT 1 FROM rdagent_task t WHERE t.dataset_id = d.id AND t.status IN ('PENDING', 'RUNNING'))
