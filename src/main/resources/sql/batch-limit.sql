UPDATE rdagent_batch SET max_concurrent = :maxConcurrent WHERE id = :id
