-- Running tasks whose lease is older than :leaseSeconds on a node that stopped beating too (or never registered),
-- with the process of their attempt when one was recorded, and how long the lease has been silent.
SELECT t.id, t.attempt, t.node, t.workspace_path, a.id AS attempt_id, a.pid, a.pid_started, a.pid_space,
       extract(epoch FROM now() - greatest(coalesce(t.heartbeat_at, t.started_at), coalesce(n.heartbeat_at, t.started_at)))
           AS silent_seconds
  FROM rdagent_task t
  LEFT JOIN rdagent_node n ON n.id = t.node
  LEFT JOIN rdagent_task_attempt a ON a.task_id = t.id AND a.attempt = t.attempt AND a.finished_at IS NULL
 WHERE t.status = 'RUNNING'
   AND coalesce(t.heartbeat_at, t.started_at) < now() - make_interval(secs => :leaseSeconds)
   AND (n.id IS NULL OR n.heartbeat_at < now() - make_interval(secs => :leaseSeconds))
