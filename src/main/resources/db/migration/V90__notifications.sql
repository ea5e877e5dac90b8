-- Notifications: channels (where messages go), rules (what goes where), the events they react to, the delivery
-- queue and every delivery attempt.

-- settings: what may be shown (SMTP host, port, user, addresses…); secrets: webhook URLs with their keys, signing
-- secrets, WeCom keys, SMTP passwords, never answered, logged or audited.
CREATE TABLE rdagent_notify_channel (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name             varchar(100) NOT NULL UNIQUE,
    type             varchar(20)  NOT NULL CHECK (type IN ('dingtalk', 'wecom', 'feishu', 'email', 'webhook')),
    language         varchar(2)   NOT NULL DEFAULT 'zh' CHECK (language IN ('zh', 'en')),
    rate_per_minute  integer      NOT NULL CHECK (rate_per_minute BETWEEN 1 AND 600),
    enabled          boolean      NOT NULL DEFAULT true,
    settings         jsonb        NOT NULL,
    secrets          jsonb        NOT NULL,
    operator         varchar(100),
    created_at       timestamptz  NOT NULL DEFAULT now(),
    updated_at       timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE rdagent_notify_rule (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                varchar(100) NOT NULL,
    channel_id          bigint       NOT NULL REFERENCES rdagent_notify_channel (id) ON DELETE CASCADE,
    events              text[]       NOT NULL,
    scope               varchar(10)  NOT NULL CHECK (scope IN ('all', 'task', 'schedule', 'batch', 'tag', 'mine')),
    scope_value         varchar(100),
    metric              varchar(30),
    threshold           double precision,
    stall_after_seconds integer,
    digest_time         time,
    time_zone           varchar(64),
    last_digest_on      date,
    enabled             boolean      NOT NULL DEFAULT true,
    owner               varchar(100) NOT NULL,
    created_at          timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX rdagent_notify_rule_channel_idx ON rdagent_notify_rule (channel_id);

-- What happened, written in the transaction that made it happen (so nothing is lost on a restart) and turned into
-- deliveries by one node. rule_id names the one rule an event is for (a stall, a digest, a test); null: any rule.
CREATE TABLE rdagent_notify_event (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          varchar(30)  NOT NULL,
    task_id       bigint,
    schedule_id   bigint,
    rule_id       bigint,
    payload       jsonb        NOT NULL DEFAULT '{}',
    created_at    timestamptz  NOT NULL DEFAULT now(),
    processed_at  timestamptz
);
CREATE INDEX rdagent_notify_event_pending_idx ON rdagent_notify_event (id) WHERE processed_at IS NULL;

CREATE TABLE rdagent_notify_delivery (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id         bigint       NOT NULL REFERENCES rdagent_notify_event (id) ON DELETE CASCADE,
    rule_id          bigint       REFERENCES rdagent_notify_rule (id) ON DELETE SET NULL,
    channel_id       bigint       NOT NULL REFERENCES rdagent_notify_channel (id) ON DELETE CASCADE,
    kind             varchar(30)  NOT NULL,
    task_id          bigint,
    message          jsonb        NOT NULL,
    status           varchar(10)  NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         integer      NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz  NOT NULL DEFAULT now(),
    created_at       timestamptz  NOT NULL DEFAULT now(),
    finished_at      timestamptz
);
CREATE INDEX rdagent_notify_delivery_due_idx ON rdagent_notify_delivery (next_attempt_at) WHERE status = 'pending';

-- One row per delivery per attempt; the deliveries batched into one message share a send_no.
CREATE SEQUENCE rdagent_notify_send_seq;
CREATE TABLE rdagent_notify_attempt (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id   bigint       NOT NULL REFERENCES rdagent_notify_delivery (id) ON DELETE CASCADE,
    channel_id    bigint       NOT NULL REFERENCES rdagent_notify_channel (id) ON DELETE CASCADE,
    send_no       bigint       NOT NULL,
    attempt       integer      NOT NULL,
    outcome       varchar(10)  NOT NULL CHECK (outcome IN ('sent', 'failed')),
    status_code   integer,
    error         text,
    batch_size    integer      NOT NULL,
    attempted_at  timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX rdagent_notify_attempt_channel_idx ON rdagent_notify_attempt (channel_id, attempted_at);
CREATE INDEX rdagent_notify_attempt_delivery_idx ON rdagent_notify_attempt (delivery_id);

-- A stall alerted once: the task's last activity it was about. A later stall (after new activity) alerts again.
CREATE TABLE rdagent_notify_stall (
    rule_id   bigint       NOT NULL REFERENCES rdagent_notify_rule (id) ON DELETE CASCADE,
    task_id   bigint       NOT NULL REFERENCES rdagent_task (id) ON DELETE CASCADE,
    since     timestamptz  NOT NULL,
    PRIMARY KEY (rule_id, task_id)
);

-- Every way a task ends (a run, a cancel of a pending task, a lost node) is an event, in the same transaction.
-- It keeps how the task ended, so a row changed again before the event is processed does not change the event.
CREATE FUNCTION rdagent_notify_task_finished() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    INSERT INTO rdagent_notify_event (kind, task_id, schedule_id, payload)
    VALUES ('task_finished', NEW.id, NEW.schedule_id,
            jsonb_build_object('ended', jsonb_build_object('status', NEW.status, 'stop_reason', NEW.stop_reason,
                                                           'error', NEW.error, 'metrics', NEW.metrics,
                                                           'finished_at', NEW.finished_at)));
    RETURN NULL;
END
$$;

CREATE TRIGGER rdagent_notify_task_finished
    AFTER UPDATE OF status ON rdagent_task
    FOR EACH ROW
    WHEN (NEW.status IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT') AND OLD.status IS DISTINCT FROM NEW.status)
EXECUTE FUNCTION rdagent_notify_task_finished();

CREATE FUNCTION rdagent_notify_schedule_fire() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    INSERT INTO rdagent_notify_event (kind, schedule_id, payload)
    VALUES ('schedule_' || NEW.outcome, NEW.schedule_id, jsonb_build_object('reason', NEW.reason));
    RETURN NULL;
END
$$;

CREATE TRIGGER rdagent_notify_schedule_fire
    AFTER INSERT ON rdagent_schedule_fire
    FOR EACH ROW
    WHEN (NEW.outcome IN ('skipped', 'failed'))
EXECUTE FUNCTION rdagent_notify_schedule_fire();
