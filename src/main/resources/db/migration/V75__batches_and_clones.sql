-- A batch is a first-class object: a grid of tasks (or a dataset fan-out) that is paused, resumed, cancelled and
-- limited as one. The claim skips tasks of a batch that is not active or already runs max_concurrent tasks.
CREATE TABLE rdagent_batch (
    id              uuid         PRIMARY KEY,
    name            varchar(100),
    grid            jsonb        NOT NULL DEFAULT '{}',
    state           varchar(20)  NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'paused', 'cancelled')),
    max_concurrent  integer      CHECK (max_concurrent > 0),
    created_by      varchar(64),
    created_at      timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX rdagent_batch_created_idx ON rdagent_batch (created_at DESC, id);

-- Fan-outs made before batches existed become batches of their own.
INSERT INTO rdagent_batch (id, name, grid, created_by, created_at)
SELECT batch_id, min(name), jsonb_build_object('dataset_ids', jsonb_agg(DISTINCT dataset_id)), min(operator),
       min(created_at)
  FROM rdagent_task
 WHERE batch_id IS NOT NULL
 GROUP BY batch_id;

ALTER TABLE rdagent_task
    ADD CONSTRAINT rdagent_task_batch_fk FOREIGN KEY (batch_id) REFERENCES rdagent_batch (id),
    -- the task whose settings a new task started from ("基于此任务新建"); a rerun keeps using rerun_of
    ADD COLUMN cloned_from bigint REFERENCES rdagent_task (id);

-- The claim's own check of a batch reads the snapshot its statement started with: two nodes claiming at the same
-- instant would each see one slot free. This check runs when a task of a batch starts: it waits for any other claim
-- of that batch (the batch row's lock) and then counts with a snapshot of its own, which sees that claim; a batch
-- that is full, paused or cancelled by then starts nothing (the claim returns no row and claims again later).
CREATE FUNCTION rdagent_batch_admits_start() RETURNS trigger
    LANGUAGE plpgsql AS
$$
DECLARE
    batch_state    varchar(20);
    batch_limit    integer;
BEGIN
    SELECT state, max_concurrent INTO batch_state, batch_limit
      FROM rdagent_batch WHERE id = NEW.batch_id
       FOR NO KEY UPDATE;
    IF batch_state <> 'active'
       OR (batch_limit IS NOT NULL
           AND (SELECT count(*) FROM rdagent_task WHERE batch_id = NEW.batch_id AND status = 'RUNNING') >= batch_limit)
    THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER rdagent_batch_admits_start
    BEFORE UPDATE OF status ON rdagent_task
    FOR EACH ROW
    WHEN (NEW.status = 'RUNNING' AND OLD.status <> 'RUNNING' AND NEW.batch_id IS NOT NULL)
EXECUTE FUNCTION rdagent_batch_admits_start();
