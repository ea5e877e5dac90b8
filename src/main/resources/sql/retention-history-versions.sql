-- Every template and .env history version, newest first, with whether something still needs it: a schedule
-- pins it, or a pending/running task's snapshot was taken from it.
SELECT 'template' AS kind, h.id, h.file, h.history_path, h.sha256, h.created_at,
       COALESCE(h.id IN (SELECT CAST(jsonb_array_elements_text(s.config_pin -> 'history_ids') AS bigint)
                           FROM rdagent_schedule s
                          WHERE s.config_pin ->> 'mode' = 'fixed')
                OR h.id IN (SELECT CAST(m.value ->> 'history_id' AS bigint)
                              FROM rdagent_task t, jsonb_each(t.config_manifest) m
                             WHERE t.status IN ('PENDING', 'RUNNING') AND m.value ->> 'history_id' IS NOT NULL),
                false) AS in_use
  FROM rdagent_template_history h
UNION ALL
SELECT 'env', e.id, e.file, e.history_path, e.sha256, e.created_at, false
  FROM rdagent_env_history e
 ORDER BY created_at DESC, id DESC
