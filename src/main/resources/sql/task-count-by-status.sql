SELECT status, count(*) AS tasks
  FROM rdagent_task
 GROUP BY status
