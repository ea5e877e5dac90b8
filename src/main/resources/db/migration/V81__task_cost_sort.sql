-- The task list sorts by LLM cost (sort=cost / -cost) through these, as by the other sort keys (V70).
CREATE INDEX rdagent_task_cost_usd_asc_idx ON rdagent_task (cost_usd ASC NULLS LAST, id ASC);
CREATE INDEX rdagent_task_cost_usd_desc_idx ON rdagent_task (cost_usd DESC NULLS LAST, id DESC);
