-- Every delivery attempt of a task's completion webhook, successful or not.
CREATE TABLE rdagent_task_callback (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id       bigint       NOT NULL REFERENCES rdagent_task (id) ON DELETE CASCADE,
    attempt       integer      NOT NULL,
    status_code   integer,
    error         text,
    attempted_at  timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX rdagent_task_callback_task_idx ON rdagent_task_callback (task_id, attempt);
