-- rerun_of references rdagent_task: without an index every deleted task made PostgreSQL scan the whole table for
-- reruns pointing at it (deleting 100,000 benchmark rows took 15 minutes; retention deletes tasks the same way).
CREATE INDEX rdagent_task_rerun_of_idx ON rdagent_task (rerun_of) WHERE rerun_of IS NOT NULL;
