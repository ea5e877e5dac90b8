-- Each loop's own results as RD-Agent writes them: its experiment workspaces (read from ws/ while the run goes
-- on), the code RD-Agent evolved for each proposed task and its whole feedback (from /receive); updated_at lets
-- live viewers fetch only what changed.
ALTER TABLE rdagent_task_loop
    ADD COLUMN experiments jsonb,
    ADD COLUMN codes       jsonb,
    ADD COLUMN feedback    jsonb,
    ADD COLUMN updated_at  timestamptz NOT NULL DEFAULT now();

-- Task summaries were {best, last, experiments, best_metric}, the best picked among all experiments; they become
-- {sota, best, last, rank_by, experiments}. A finished task's workspaces may be gone, so the old summary is kept as
-- far as it is still true: best stays best only when its loop was accepted, and the last result is the SOTA when
-- its loop was accepted.
WITH old AS (
    SELECT t.id,
           t.metrics AS m,
           (SELECT l.decision FROM rdagent_task_loop l
             WHERE l.task_id = t.id AND l.loop = (t.metrics -> 'best' ->> 'loop')::int) AS best_decision,
           (SELECT l.decision FROM rdagent_task_loop l
             WHERE l.task_id = t.id AND l.loop = (t.metrics -> 'last' ->> 'loop')::int) AS last_decision
      FROM rdagent_task t
     WHERE jsonb_typeof(t.metrics) = 'object' AND t.metrics ? 'best_metric'
), converted AS (
    SELECT id, m, best_decision, last_decision,
           jsonb_build_object(
               'loop', m -> 'best' -> 'loop', 'experiment', m -> 'best' -> 'name', 'kind', NULL,
               'decision', to_jsonb(best_decision),
               'values', jsonb_build_object(
                   'ic', m -> 'best' -> 'metrics' -> 'IC',
                   'icir', m -> 'best' -> 'metrics' -> 'ICIR',
                   'rank_ic', m -> 'best' -> 'metrics' -> 'Rank IC',
                   'rank_icir', m -> 'best' -> 'metrics' -> 'Rank ICIR',
                   'annualized_return', m -> 'best' -> 'metrics' -> '1day.excess_return_with_cost.annualized_return',
                   'information_ratio', m -> 'best' -> 'metrics' -> '1day.excess_return_with_cost.information_ratio',
                   'max_drawdown', m -> 'best' -> 'metrics' -> '1day.excess_return_with_cost.max_drawdown'),
               'non_finite', '[]'::jsonb,
               'finished_at', m -> 'best' -> 'finished_at') AS best,
           jsonb_build_object(
               'loop', m -> 'last' -> 'loop', 'experiment', m -> 'last' -> 'name', 'kind', NULL,
               'decision', to_jsonb(last_decision),
               'values', jsonb_build_object(
                   'ic', m -> 'last' -> 'metrics' -> 'IC',
                   'icir', m -> 'last' -> 'metrics' -> 'ICIR',
                   'rank_ic', m -> 'last' -> 'metrics' -> 'Rank IC',
                   'rank_icir', m -> 'last' -> 'metrics' -> 'Rank ICIR',
                   'annualized_return', m -> 'last' -> 'metrics' -> '1day.excess_return_with_cost.annualized_return',
                   'information_ratio', m -> 'last' -> 'metrics' -> '1day.excess_return_with_cost.information_ratio',
                   'max_drawdown', m -> 'last' -> 'metrics' -> '1day.excess_return_with_cost.max_drawdown'),
               'non_finite', '[]'::jsonb,
               'finished_at', m -> 'last' -> 'finished_at') AS last
      FROM old
)
UPDATE rdagent_task t
   SET metrics = jsonb_build_object(
           'sota', CASE WHEN c.last_decision THEN c.last END,
           'best', CASE WHEN c.best_decision THEN c.best END,
           'last', c.last,
           'rank_by', 'annualized_return',
           'experiments', c.m -> 'experiments')
  FROM converted c
 WHERE t.id = c.id;
