INSERT INTO rdagent_batch (id, name, grid, max_concurrent, created_by)
VALUES (:id, :name, CAST(:grid AS jsonb), :maxConcurrent, :operator)
