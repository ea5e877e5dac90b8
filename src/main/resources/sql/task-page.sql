SELECT *
  FROM rdagent_task
 WHERE (CAST(:status AS varchar) IS NULL OR status = :status)
   AND (CAST(:q AS varchar) IS NULL OR strpos(lower(name), lower(:q)) > 0 OR CAST(id AS text) = :q)
 ORDER BY id DESC
 LIMIT :size OFFSET :offset
