-- Holds a task whose lease is still expired while its process is stopped and the task taken over; a node that comes
-- back meanwhile waits on the row, then finds the task is no longer its own. Another sweeper skips it.
SELECT t.id
  FROM rdagent_task t
  LEFT JOIN rdagent_node n ON n.id = t.node
 WHERE t.id = :id AND t.attempt = :attempt AND t.status = 'RUNNING'
   AND coalesce(t.heartbeat_at, t.started_at) < now() - make_interval(secs => :leaseSeconds)
   AND (n.id IS NULL OR n.heartbeat_at < now() - make_interval(secs => :leaseSeconds))
   FOR UPDATE OF t SKIP LOCKED
