-- Tasks: one row per RD-Agent run (an attempt); params are the validated request.
CREATE TABLE rdagent_task (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name              varchar(100),
    scenario          varchar(20)  NOT NULL,
    status            varchar(20)  NOT NULL,
    origin            varchar(20)  NOT NULL,
    batch_id          uuid,
    schedule_id       bigint,
    rerun_of          bigint REFERENCES rdagent_task (id),
    dataset_id        bigint,
    priority          integer      NOT NULL DEFAULT 0,
    params            jsonb        NOT NULL,
    config_hash       char(64)     NOT NULL,
    config_manifest   jsonb        NOT NULL,
    workspace_path    text,
    archive_path      text,
    pid               bigint,
    node              varchar(200),
    attempt           integer      NOT NULL DEFAULT 1,
    heartbeat_at      timestamptz,
    cancel_requested  boolean      NOT NULL DEFAULT false,
    progress          jsonb,
    metrics           jsonb,
    stop_reason       varchar(200),
    error             text,
    warnings          jsonb,
    exit_code         integer,
    operator          varchar(100),
    created_at        timestamptz  NOT NULL DEFAULT now(),
    started_at        timestamptz,
    finished_at       timestamptz,
    CONSTRAINT rdagent_task_status_check
        CHECK (status IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT')),
    CONSTRAINT rdagent_task_origin_check
        CHECK (origin IN ('api', 'inbox', 'schedule', 'rerun'))
);
-- the claim walks pending tasks by priority then age
CREATE INDEX rdagent_task_pending_idx ON rdagent_task (priority DESC, id) WHERE status = 'PENDING';
CREATE INDEX rdagent_task_running_idx ON rdagent_task (node) WHERE status = 'RUNNING';
CREATE INDEX rdagent_task_status_idx ON rdagent_task (status, id DESC);
CREATE INDEX rdagent_task_batch_idx ON rdagent_task (batch_id);

-- Template versions a task ran with, addressed by content so snapshots survive any later edit.
CREATE TABLE rdagent_template_blob (
    sha256      char(64)    PRIMARY KEY,
    content     bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE rdagent_dataset (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name              varchar(64)  NOT NULL,
    version           integer      NOT NULL DEFAULT 1,
    provider_uri      text         NOT NULL,
    instruments_file  text         NOT NULL,
    symbol_count      integer      NOT NULL,
    start_date        date,
    end_date          date,
    is_default        boolean      NOT NULL DEFAULT false,
    sha256            char(64)     NOT NULL,
    operator          varchar(100),
    created_at        timestamptz  NOT NULL DEFAULT now(),
    UNIQUE (name, version)
);
CREATE UNIQUE INDEX rdagent_dataset_one_default ON rdagent_dataset (is_default) WHERE is_default;

CREATE TABLE rdagent_template_history (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file          text         NOT NULL,
    history_path  text         NOT NULL,
    task_id       bigint,
    sha256        char(64)     NOT NULL,
    operator      varchar(100),
    note          varchar(500),
    action        varchar(20)  NOT NULL CHECK (action IN ('backup', 'rollback', 'write')),
    created_at    timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX rdagent_template_history_file_idx ON rdagent_template_history (file, id DESC);

CREATE TABLE rdagent_env_history (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file          text         NOT NULL DEFAULT '.env',
    history_path  text         NOT NULL,
    task_id       bigint,
    sha256        char(64)     NOT NULL,
    operator      varchar(100),
    note          varchar(500),
    action        varchar(20)  NOT NULL CHECK (action IN ('backup', 'rollback', 'write')),
    created_at    timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE rdagent_schedule (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name             varchar(100) NOT NULL,
    cron             varchar(120) NOT NULL,
    time_zone        varchar(64)  NOT NULL DEFAULT 'Asia/Shanghai',
    task             jsonb        NOT NULL,
    config_pin       jsonb        NOT NULL DEFAULT '{"mode":"current"}',
    overlap_policy   varchar(10)  NOT NULL DEFAULT 'skip',
    misfire_policy   varchar(10)  NOT NULL DEFAULT 'fire_once',
    enabled          boolean      NOT NULL DEFAULT true,
    last_fire_at     timestamptz,
    last_task_id     bigint,
    operator         varchar(100),
    created_at       timestamptz  NOT NULL DEFAULT now(),
    updated_at       timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE rdagent_task_loop (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id          bigint       NOT NULL REFERENCES rdagent_task (id) ON DELETE CASCADE,
    loop             integer      NOT NULL,
    hypothesis       text,
    reason           text,
    tasks            jsonb,
    metrics          jsonb,
    decision         boolean,
    decision_reason  text,
    started_at       timestamptz  NOT NULL DEFAULT now(),
    UNIQUE (task_id, loop)
);
