SELECT extract(epoch FROM now() - heartbeat_at) AS age_seconds
  FROM rdagent_node
 WHERE id = :id
