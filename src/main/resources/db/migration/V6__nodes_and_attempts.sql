-- Scheduler instances sharing this database, with their heartbeat (their lease on the tasks they run).
CREATE TABLE rdagent_node (
    id            varchar(200) PRIMARY KEY,
    roles         varchar(100) NOT NULL,
    capacity      integer      NOT NULL,
    host          varchar(200),
    process_id    bigint,
    started_at    timestamptz  NOT NULL DEFAULT now(),
    heartbeat_at  timestamptz  NOT NULL DEFAULT now()
);

ALTER TABLE rdagent_task ADD COLUMN max_attempts integer NOT NULL DEFAULT 1;
ALTER TABLE rdagent_task ADD COLUMN pid_started bigint;

-- One row per start of an RD-Agent process: which node ran which attempt, and when; a node that comes back
-- finds here the process groups it must re-attach to or kill.
CREATE TABLE rdagent_task_attempt (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id      bigint       NOT NULL REFERENCES rdagent_task (id) ON DELETE CASCADE,
    attempt      integer      NOT NULL,
    node         varchar(200) NOT NULL,
    pid          bigint       NOT NULL,
    pid_started  bigint       NOT NULL,
    started_at   timestamptz  NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    outcome      varchar(40)
);
CREATE INDEX rdagent_task_attempt_open_idx ON rdagent_task_attempt (node) WHERE finished_at IS NULL;
CREATE INDEX rdagent_task_attempt_task_idx ON rdagent_task_attempt (task_id, attempt);
