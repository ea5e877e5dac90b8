-- The leaderboard: tags, a note and a star per task, and each summary metric of `sota` and `best` as a
-- stored generated column, so sorting and range filters read an indexed number instead of the jsonb summary. NULLs
-- sort last in both directions, which one index cannot serve both ways: each sortable column has one per direction.
ALTER TABLE rdagent_task
    ADD COLUMN tags     text[]  NOT NULL DEFAULT '{}',
    ADD COLUMN note     text,
    ADD COLUMN starred  boolean NOT NULL DEFAULT false,
    ADD COLUMN duration_seconds double precision
        GENERATED ALWAYS AS (EXTRACT(EPOCH FROM finished_at - started_at)) STORED,
    ADD COLUMN sota_ic double precision
        GENERATED ALWAYS AS (CAST(metrics #>> '{sota,values,ic}' AS double precision)) STORED,
    ADD COLUMN sota_icir double precision
        GENERATED ALWAYS AS (CAST(metrics #>> '{sota,values,icir}' AS double precision)) STORED,
    ADD COLUMN sota_rank_ic double precision
        GENERATED ALWAYS AS (CAST(metrics #>> '{sota,values,rank_ic}' AS double precision)) STORED,
    ADD COLUMN sota_rank_icir double precision
        GENERATED ALWAYS AS (CAST(metrics #>> '{sota,values,rank_icir}' AS double precision)) STORED,
    ADD COLUMN sota_annualized_return double precision
        GENERATED ALWAYS AS (CAST(metrics #>> '{sota,values,annualized_return}' AS double precision)) STORED,
    ADD COLUMN sota_information_ratio double precision
        GENERATED ALWAYS AS (CAST(metrics #>> '{sota,values,information_ratio}' AS double precision)) STORED,
    ADD COLUMN sota_max_drawdown double precision
        GENERATED ALWAYS AS (CAST(metrics #>> '{sota,values,max_drawdown}' AS double precision)) STORED,
    ADD COLUMN best_ic double precision
        GENERATED ALWAYS AS (CAST(metrics #>> '{best,values,ic}' AS double precision)) STORED,
    ADD COLUMN best_icir double precision
        GENERATED ALWAYS AS (CAST(metrics #>> '{best,values,icir}' AS double precision)) STORED,
    ADD COLUMN best_rank_ic double precision
        GENERATED ALWAYS AS (CAST(metrics #>> '{best,values,rank_ic}' AS double precision)) STORED,
    ADD COLUMN best_rank_icir double precision
        GENERATED ALWAYS AS (CAST(metrics #>> '{best,values,rank_icir}' AS double precision)) STORED,
    ADD COLUMN best_annualized_return double precision
        GENERATED ALWAYS AS (CAST(metrics #>> '{best,values,annualized_return}' AS double precision)) STORED,
    ADD COLUMN best_information_ratio double precision
        GENERATED ALWAYS AS (CAST(metrics #>> '{best,values,information_ratio}' AS double precision)) STORED,
    ADD COLUMN best_max_drawdown double precision
        GENERATED ALWAYS AS (CAST(metrics #>> '{best,values,max_drawdown}' AS double precision)) STORED;

CREATE INDEX rdagent_task_tags_idx ON rdagent_task USING gin (tags);
CREATE INDEX rdagent_task_starred_idx ON rdagent_task (id DESC) WHERE starred;
CREATE INDEX rdagent_task_created_idx ON rdagent_task (created_at, id);
CREATE INDEX rdagent_task_dataset_idx ON rdagent_task (dataset_id, id DESC);
CREATE INDEX rdagent_task_finished_at_asc_idx ON rdagent_task (finished_at ASC NULLS LAST, id ASC);
CREATE INDEX rdagent_task_finished_at_desc_idx ON rdagent_task (finished_at DESC NULLS LAST, id DESC);
CREATE INDEX rdagent_task_duration_seconds_asc_idx ON rdagent_task (duration_seconds ASC NULLS LAST, id ASC);
CREATE INDEX rdagent_task_duration_seconds_desc_idx ON rdagent_task (duration_seconds DESC NULLS LAST, id DESC);
CREATE INDEX rdagent_task_sota_ic_asc_idx ON rdagent_task (sota_ic ASC NULLS LAST, id ASC);
CREATE INDEX rdagent_task_sota_ic_desc_idx ON rdagent_task (sota_ic DESC NULLS LAST, id DESC);
CREATE INDEX rdagent_task_sota_icir_asc_idx ON rdagent_task (sota_icir ASC NULLS LAST, id ASC);
CREATE INDEX rdagent_task_sota_icir_desc_idx ON rdagent_task (sota_icir DESC NULLS LAST, id DESC);
CREATE INDEX rdagent_task_sota_rank_ic_asc_idx ON rdagent_task (sota_rank_ic ASC NULLS LAST, id ASC);
CREATE INDEX rdagent_task_sota_rank_ic_desc_idx ON rdagent_task (sota_rank_ic DESC NULLS LAST, id DESC);
CREATE INDEX rdagent_task_sota_rank_icir_asc_idx ON rdagent_task (sota_rank_icir ASC NULLS LAST, id ASC);
CREATE INDEX rdagent_task_sota_rank_icir_desc_idx ON rdagent_task (sota_rank_icir DESC NULLS LAST, id DESC);
CREATE INDEX rdagent_task_sota_annualized_return_asc_idx ON rdagent_task (sota_annualized_return ASC NULLS LAST, id ASC);
CREATE INDEX rdagent_task_sota_annualized_return_desc_idx ON rdagent_task (sota_annualized_return DESC NULLS LAST, id DESC);
CREATE INDEX rdagent_task_sota_information_ratio_asc_idx ON rdagent_task (sota_information_ratio ASC NULLS LAST, id ASC);
CREATE INDEX rdagent_task_sota_information_ratio_desc_idx ON rdagent_task (sota_information_ratio DESC NULLS LAST, id DESC);
CREATE INDEX rdagent_task_sota_max_drawdown_asc_idx ON rdagent_task (sota_max_drawdown ASC NULLS LAST, id ASC);
CREATE INDEX rdagent_task_sota_max_drawdown_desc_idx ON rdagent_task (sota_max_drawdown DESC NULLS LAST, id DESC);
CREATE INDEX rdagent_task_best_ic_asc_idx ON rdagent_task (best_ic ASC NULLS LAST, id ASC);
CREATE INDEX rdagent_task_best_ic_desc_idx ON rdagent_task (best_ic DESC NULLS LAST, id DESC);
CREATE INDEX rdagent_task_best_icir_asc_idx ON rdagent_task (best_icir ASC NULLS LAST, id ASC);
CREATE INDEX rdagent_task_best_icir_desc_idx ON rdagent_task (best_icir DESC NULLS LAST, id DESC);
CREATE INDEX rdagent_task_best_rank_ic_asc_idx ON rdagent_task (best_rank_ic ASC NULLS LAST, id ASC);
CREATE INDEX rdagent_task_best_rank_ic_desc_idx ON rdagent_task (best_rank_ic DESC NULLS LAST, id DESC);
CREATE INDEX rdagent_task_best_rank_icir_asc_idx ON rdagent_task (best_rank_icir ASC NULLS LAST, id ASC);
CREATE INDEX rdagent_task_best_rank_icir_desc_idx ON rdagent_task (best_rank_icir DESC NULLS LAST, id DESC);
CREATE INDEX rdagent_task_best_annualized_return_asc_idx ON rdagent_task (best_annualized_return ASC NULLS LAST, id ASC);
CREATE INDEX rdagent_task_best_annualized_return_desc_idx ON rdagent_task (best_annualized_return DESC NULLS LAST, id DESC);
CREATE INDEX rdagent_task_best_information_ratio_asc_idx ON rdagent_task (best_information_ratio ASC NULLS LAST, id ASC);
CREATE INDEX rdagent_task_best_information_ratio_desc_idx ON rdagent_task (best_information_ratio DESC NULLS LAST, id DESC);
CREATE INDEX rdagent_task_best_max_drawdown_asc_idx ON rdagent_task (best_max_drawdown ASC NULLS LAST, id ASC);
CREATE INDEX rdagent_task_best_max_drawdown_desc_idx ON rdagent_task (best_max_drawdown DESC NULLS LAST, id DESC);
