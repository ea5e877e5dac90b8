SELECT n.id, n.roles, n.capacity, n.host, n.started_at, n.heartbeat_at,
       n.heartbeat_at >= now() - make_interval(secs => :leaseSeconds) AS alive,
       (SELECT count(*) FROM rdagent_task t WHERE t.status = 'RUNNING' AND t.node = n.id) AS running_tasks
  FROM rdagent_node n
 ORDER BY n.id
