-- The total of the task list under the shared filter (sql/task-filter.sql).
SELECT count(*)
  FROM rdagent_task
 WHERE {filter}
