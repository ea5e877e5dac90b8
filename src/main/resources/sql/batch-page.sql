SELECT b.*,
       (SELECT COALESCE(jsonb_object_agg(status, n), '{}')
          FROM (SELECT status, count(*) AS n FROM rdagent_task WHERE batch_id = b.id GROUP BY status) s) AS counts
  FROM rdagent_batch b
 ORDER BY b.created_at DESC, b.id
 LIMIT :size OFFSET :offset
