-- A researcher's tags, note and star; a parameter left null keeps what the task has.
UPDATE rdagent_task
   SET tags    = COALESCE(CAST(:tags AS text[]), tags),
       note    = CASE WHEN :setNote THEN CAST(:note AS text) ELSE note END,
       starred = COALESCE(CAST(:starred AS boolean), starred)
 WHERE id = :id
