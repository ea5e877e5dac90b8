UPDATE rdagent_batch SET state = :to WHERE id = :id AND state = :from
