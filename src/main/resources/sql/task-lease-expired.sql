-- Running tasks whose lease ran out on a node that stopped beating too (or never registered).
SELECT t.id, t.attempt, t.node
  FROM rdagent_task t
  LEFT JOIN rdagent_node n ON n.id = t.node
 WHERE t.status = 'RUNNING'
   AND coalesce(t.heartbeat_at, t.started_at) < now() - make_interval(secs => :leaseSeconds)
   AND (n.id IS NULL OR n.heartbeat_at < now() - make_interval(secs => :leaseSeconds))
