SELECT count(*)
  FROM rdagent_notify_attempt a
  JOIN rdagent_notify_delivery d ON d.id = a.delivery_id
 WHERE (CAST(:channelId AS bigint) IS NULL OR a.channel_id = :channelId)
   AND (CAST(:taskId AS bigint) IS NULL OR d.task_id = :taskId)
