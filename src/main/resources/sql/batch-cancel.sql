-- Cancelled from any state, for good: nothing moves a batch out of it.
UPDATE rdagent_batch SET state = 'cancelled' WHERE id = :id
