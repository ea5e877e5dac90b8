-- Every template and .env history version, newest first, with whether something still needs it: it is what a file
-- holds now, an imported legacy backup, pinned by a schedule, or the version a pending/running task was
-- snapshotted from. A version ages from when it was replaced.
SELECT 'template' AS kind, h.id, h.file, h.history_path, h.sha256, COALESCE(h.replaced_at, h.created_at) AS aged_from,
       COALESCE(h.replaced_at IS NULL
                OR h.kind = 'legacy'
                OR h.id IN (SELECT CAST(jsonb_array_elements_text(s.config_pin -> 'history_ids') AS bigint)
                              FROM rdagent_schedule s
                             WHERE s.config_pin ->> 'mode' = 'fixed')
                OR h.id IN (SELECT CAST(COALESCE(m.value ->> 'version_id', m.value ->> 'history_id') AS bigint)
                              FROM rdagent_task t, jsonb_each(t.config_manifest) m
                             WHERE t.status IN ('PENDING', 'RUNNING')
                               AND COALESCE(m.value ->> 'version_id', m.value ->> 'history_id') IS NOT NULL),
                false) AS in_use
  FROM rdagent_template_history h
UNION ALL
SELECT 'env', e.id, e.file, e.history_path, e.sha256, COALESCE(e.replaced_at, e.created_at), e.replaced_at IS NULL
  FROM rdagent_env_history e
 ORDER BY aged_from DESC, id DESC
