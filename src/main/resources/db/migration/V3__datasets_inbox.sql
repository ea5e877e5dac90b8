-- Datasets and the inbox (SPEC 8).

-- The dataset name is the Qlib market: it names files, so nothing else gets in.
ALTER TABLE rdagent_dataset
    ADD CONSTRAINT rdagent_dataset_name_check CHECK (name ~ '^[a-z0-9_]{1,64}$');

-- DELETE /datasets/{id} asks whether a pending or running task uses the dataset.
CREATE INDEX rdagent_task_active_dataset_idx ON rdagent_task (dataset_id) WHERE status IN ('PENDING', 'RUNNING');

-- Camel's JDBC idempotent repository (JdbcMessageIdRepository, createTableIfNotExists=false): the inbox takes a
-- file once across restarts and nodes. Camel's own DDL has messageId VARCHAR(100); an inbox key is the file name
-- plus a sha256, so it is wider here. The primary key is what stops two nodes taking the same file.
CREATE TABLE CAMEL_MESSAGEPROCESSED (
    processorName  varchar(255) NOT NULL,
    messageId      varchar(400) NOT NULL,
    createdAt      timestamptz  NOT NULL,
    PRIMARY KEY (processorName, messageId)
);
