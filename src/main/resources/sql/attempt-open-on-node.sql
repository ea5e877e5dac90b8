SELECT a.id, a.task_id, a.attempt, a.pid, a.pid_started,
       t.status, t.node AS task_node, t.attempt AS task_attempt, t.pid AS task_pid
  FROM rdagent_task_attempt a JOIN rdagent_task t ON t.id = a.task_id
 WHERE a.node = :node AND a.finished_at IS NULL
