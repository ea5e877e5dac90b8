SELECT a.id, a.task_id, a.attempt, a.pid, a.pid_started, a.pid_space,
       t.status, t.node AS task_node, t.attempt AS task_attempt, t.pid AS task_pid, t.workspace_path
  FROM rdagent_task_attempt a JOIN rdagent_task t ON t.id = a.task_id
 WHERE a.node = :node AND a.finished_at IS NULL
