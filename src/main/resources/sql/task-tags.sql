-- The tags in use, for suggestions: the most used first.
SELECT tag, count(*) AS tasks
  FROM rdagent_task, unnest(tags) AS tag
 GROUP BY tag
 ORDER BY count(*) DESC, tag
 LIMIT :limit
