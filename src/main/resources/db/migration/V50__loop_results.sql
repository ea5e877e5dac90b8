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
    SELECT t.id, t.metrics AS m
      FROM rdagent_task t
     WHERE jsonb_typeof(t.metrics) = 'object' AND t.metrics ? 'best_metric'
), converted AS (
    SELECT old.id, named.name,
           l.decision,
           jsonb_build_object(
               'loop', e -> 'loop', 'experiment', e -> 'name', 'kind', NULL, 'decision', to_jsonb(l.decision),
               'values', jsonb_build_object(
                   'ic', e -> 'metrics' -> 'IC',
                   'icir', e -> 'metrics' -> 'ICIR',
                   'rank_ic', e -> 'metrics' -> 'Rank IC',
                   'rank_icir', e -> 'metrics' -> 'Rank ICIR',
                   'annualized_return', e -> 'metrics' -> '1day.excess_return_with_cost.annualized_return',
                   'information_ratio', e -> 'metrics' -> '1day.excess_return_with_cost.information_ratio',
                   'max_drawdown', e -> 'metrics' -> '1day.excess_return_with_cost.max_drawdown'),
               'non_finite', '[]'::jsonb,
               'finished_at', e -> 'finished_at') AS result
      FROM old
     CROSS JOIN LATERAL (VALUES ('best', old.m -> 'best'), ('last', old.m -> 'last')) AS named(name, e)
      LEFT JOIN rdagent_task_loop l ON l.task_id = old.id AND l.loop = (named.e ->> 'loop')::int
)
UPDATE rdagent_task t
   SET metrics = jsonb_build_object(
           'sota', CASE WHEN last.decision THEN last.result END,
           'best', CASE WHEN best.decision THEN best.result END,
           'last', last.result,
           'rank_by', 'annualized_return',
           'experiments', t.metrics -> 'experiments')
  FROM converted best, converted last
 WHERE best.id = t.id AND best.name = 'best' AND last.id = t.id AND last.name = 'last';
