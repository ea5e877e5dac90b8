SELECT a.id, a.delivery_id, a.channel_id, c.name AS channel_name, c.type AS channel_type, d.kind, d.task_id,
       d.rule_id, a.attempt, a.outcome, a.status_code, a.error, a.batch_size, d.status AS delivery_status,
       a.attempted_at
  FROM rdagent_notify_attempt a
  JOIN rdagent_notify_delivery d ON d.id = a.delivery_id
  JOIN rdagent_notify_channel c ON c.id = a.channel_id
 WHERE (CAST(:channelId AS bigint) IS NULL OR a.channel_id = :channelId)
   AND (CAST(:taskId AS bigint) IS NULL OR d.task_id = :taskId)
 ORDER BY a.id DESC
 LIMIT :limit OFFSET :offset
