-- A dataset is a stock pool with versions. Its name is the user's, kept exactly (Chinese, spaces, case); its market
-- is the Qlib instruments file name runs use (<provider_uri>/instruments/<market>.txt): ASCII, unique, and fixed
-- for the dataset's life. Every rdagent_dataset row is one version of one pool.
CREATE TABLE rdagent_dataset_pool (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        varchar(100) NOT NULL UNIQUE,
    market      varchar(64)  NOT NULL UNIQUE CHECK (market ~ '^[a-z0-9_]{1,64}$'),
    operator    varchar(100),
    created_at  timestamptz  NOT NULL DEFAULT now()
);

-- Existing datasets: their name was their market, and stays both.
INSERT INTO rdagent_dataset_pool (name, market, operator, created_at)
SELECT name, name, (array_agg(operator ORDER BY version))[1], min(created_at)
  FROM rdagent_dataset
 GROUP BY name;

ALTER TABLE rdagent_dataset ADD COLUMN pool_id bigint REFERENCES rdagent_dataset_pool (id);
UPDATE rdagent_dataset d SET pool_id = p.id FROM rdagent_dataset_pool p WHERE p.market = d.name;
ALTER TABLE rdagent_dataset ALTER COLUMN pool_id SET NOT NULL;
ALTER TABLE rdagent_dataset DROP CONSTRAINT IF EXISTS rdagent_dataset_name_check;
ALTER TABLE rdagent_dataset DROP CONSTRAINT IF EXISTS rdagent_dataset_name_version_key;
ALTER TABLE rdagent_dataset DROP COLUMN name;
ALTER TABLE rdagent_dataset ADD CONSTRAINT rdagent_dataset_pool_version_key UNIQUE (pool_id, version);

-- What an import found: the encoding the file was in, symbols or ranges the Qlib data does not know (kept under
-- unknown-symbols=warn), and spellings changed to the data's. Each list holds the first entries; the counts say how
-- many there were.
ALTER TABLE rdagent_dataset
    ADD COLUMN encoding          varchar(40),
    ADD COLUMN warnings          jsonb   NOT NULL DEFAULT '[]',
    ADD COLUMN warning_count     integer NOT NULL DEFAULT 0,
    ADD COLUMN normalised        jsonb   NOT NULL DEFAULT '[]',
    ADD COLUMN normalised_count  integer NOT NULL DEFAULT 0;

-- A deleted version is hidden from lists and refused to new tasks, but kept: tasks that ran on it still name it,
-- and its file still answers diffs.
ALTER TABLE rdagent_dataset
    ADD COLUMN deleted_at  timestamptz,
    ADD COLUMN deleted_by  varchar(100);
