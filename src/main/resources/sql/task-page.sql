-- The task list: the shared filter (sql/task-filter.sql) and a fixed ORDER BY of TaskSort take their places below.
SELECT *
  FROM rdagent_task
 WHERE {filter}
 ORDER BY {order}
 LIMIT :size OFFSET :offset
