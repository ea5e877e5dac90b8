SELECT *
  FROM rdagent_template_history
 WHERE (CAST(:file AS text) IS NULL OR file = :file)
 ORDER BY id DESC
 LIMIT :size OFFSET :offset
