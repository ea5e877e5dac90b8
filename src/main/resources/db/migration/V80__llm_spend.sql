-- LLM spend: every token_cost record RD-Agent wrote into a run's trace folder, once. The relative path is
-- the record's identity, so reading the folder again after a restart or a resume never counts a call twice.
CREATE TABLE rdagent_llm_call (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id            bigint        NOT NULL REFERENCES rdagent_task (id) ON DELETE CASCADE,
    attempt            integer       NOT NULL,
    path               varchar(1000) NOT NULL,
    loop               integer,
    step               varchar(200),
    model              varchar(200)  NOT NULL,
    prompt_tokens      bigint        NOT NULL,
    completion_tokens  bigint        NOT NULL,
    -- what LiteLLM said (NULL: NaN, it had no price for the model)
    reported_usd       double precision,
    -- what the scheduler counts: LiteLLM's figure or the price table's; NULL when neither knows (never 0)
    cost_usd           numeric(20, 10),
    priced_by          varchar(10)   NOT NULL CHECK (priced_by IN ('litellm', 'table', 'unknown')),
    operator           varchar(200)  NOT NULL,
    -- when RD-Agent made the call (its record's name), which day and month quotas and reports count it in
    recorded_at        timestamptz   NOT NULL DEFAULT now(),
    UNIQUE (task_id, path)
);
CREATE INDEX rdagent_llm_call_recorded ON rdagent_llm_call (recorded_at);
CREATE INDEX rdagent_llm_call_operator ON rdagent_llm_call (operator, recorded_at);

-- The task's spend as the API shows it, and its total in USD for sorting the list (NULL: nothing priced yet)
ALTER TABLE rdagent_task
    ADD COLUMN cost     jsonb,
    ADD COLUMN cost_usd numeric(20, 10);
ALTER TABLE rdagent_task_loop ADD COLUMN cost jsonb;

-- USD per million tokens; used when LiteLLM has no price (NaN) or, with override, instead of its price
CREATE TABLE rdagent_llm_price (
    model               varchar(200)   PRIMARY KEY,
    prompt_per_m        numeric(20, 6) NOT NULL CHECK (prompt_per_m >= 0),
    completion_per_m    numeric(20, 6) NOT NULL CHECK (completion_per_m >= 0),
    override            boolean        NOT NULL DEFAULT false,
    updated_by          varchar(200)   NOT NULL,
    updated_at          timestamptz    NOT NULL DEFAULT now()
);

-- Spending limits of one user or token (its operator name, e.g. alice or token:aistock); NULL: no limit
CREATE TABLE rdagent_llm_quota (
    subject      varchar(200)   PRIMARY KEY,
    daily_usd    numeric(20, 6) CHECK (daily_usd >= 0),
    monthly_usd  numeric(20, 6) CHECK (monthly_usd >= 0),
    updated_by   varchar(200)   NOT NULL,
    updated_at   timestamptz    NOT NULL DEFAULT now()
);
