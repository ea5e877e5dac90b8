-- History becomes a list of versions. A row used to hold the content a write replaced, with the note, operator and
-- action of that write; now a row is a content with how it came to be: the kind, operator, note, task and time of
-- the change that produced it, and when and by which version it was replaced. Ids keep meaning "this content"
-- (task snapshots and schedule pins name them), so rows are migrated in place and each row takes over the
-- metadata of the row before it. The content of each file's newest write is not stored anywhere the database can
-- read: its row is added with sha256 NULL, and the service fills it from the live file when it next looks.
-- Prompt rows (action 'backup') already held the content as it was seen: the first becomes 'initial', the others
-- 'drift'. history_path stays the copy in history/; source_path is where an imported legacy backup came from.
-- The template and .env tables have the same shape and are migrated alike (the table names are constants).
DO $migration$
DECLARE
    history text;
BEGIN
    FOREACH history IN ARRAY ARRAY['rdagent_template_history', 'rdagent_env_history'] LOOP
        EXECUTE format($sql$
            ALTER TABLE %1$I
                ADD COLUMN kind        varchar(20),
                ADD COLUMN replaced_at timestamptz,
                ADD COLUMN replaced_by bigint,
                ADD COLUMN source_path text,
                ALTER COLUMN history_path DROP NOT NULL,
                ALTER COLUMN sha256 DROP NOT NULL
        $sql$, history);

        -- the content each file's newest write produced: known only to the live file
        EXECUTE format($sql$
            INSERT INTO %1$I (file, history_path, task_id, sha256, operator, note, action, created_at, kind)
            SELECT file, NULL, task_id, NULL, operator, note, action, created_at, action
              FROM (SELECT DISTINCT ON (file) * FROM %1$I
                     WHERE action IN ('write', 'rollback') ORDER BY file, id DESC) newest
        $sql$, history);

        -- each replaced content takes the metadata of the write that produced it (the row before); the first one
        -- of a file is what the file held before the service's first write
        EXECUTE format($sql$
            UPDATE %1$I t
               SET kind        = CASE WHEN c.n = 1 THEN 'initial' ELSE c.prev_action END,
                   operator    = CASE WHEN c.n = 1 THEN 'filesystem' ELSE c.prev_operator END,
                   note        = CASE WHEN c.n = 1 THEN NULL ELSE c.prev_note END,
                   task_id     = CASE WHEN c.n = 1 THEN NULL ELSE c.prev_task_id END,
                   created_at  = COALESCE(c.prev_created_at, t.created_at),
                   replaced_at = t.created_at,
                   replaced_by = COALESCE(c.next_id, (SELECT max(x.id) FROM %1$I x
                                                       WHERE x.file = t.file AND x.sha256 IS NULL))
              FROM (SELECT id, row_number() OVER w AS n, lead(id) OVER w AS next_id,
                           lag(action) OVER w AS prev_action, lag(operator) OVER w AS prev_operator,
                           lag(note) OVER w AS prev_note, lag(task_id) OVER w AS prev_task_id,
                           lag(created_at) OVER w AS prev_created_at
                      FROM %1$I
                     WHERE kind IS NULL AND action IN ('write', 'rollback')
                    WINDOW w AS (PARTITION BY file ORDER BY id)) c
             WHERE c.id = t.id
        $sql$, history);

        -- contents seen on disk (the read-only prompt files): each was what the file held from then on
        EXECUTE format($sql$
            UPDATE %1$I t
               SET kind        = CASE WHEN b.n = 1 THEN 'initial' ELSE 'drift' END,
                   operator    = 'filesystem',
                   note        = NULL,
                   replaced_at = b.next_created_at,
                   replaced_by = b.next_id
              FROM (SELECT id, row_number() OVER w AS n, lead(id) OVER w AS next_id,
                           lead(created_at) OVER w AS next_created_at
                      FROM %1$I
                     WHERE kind IS NULL AND action = 'backup'
                    WINDOW w AS (PARTITION BY file ORDER BY id)) b
             WHERE b.id = t.id
        $sql$, history);

        EXECUTE format($sql$
            ALTER TABLE %1$I
                DROP COLUMN action,
                ALTER COLUMN kind SET NOT NULL,
                ADD CONSTRAINT %2$I CHECK (kind IN ('initial', 'write', 'rollback', 'drift', 'legacy', 'restore'))
        $sql$, history, history || '_kind_check');
    END LOOP;
END
$migration$;

-- a legacy backup is imported once
CREATE UNIQUE INDEX rdagent_template_history_source_idx ON rdagent_template_history (file, source_path)
    WHERE source_path IS NOT NULL;
CREATE INDEX rdagent_env_history_file_idx ON rdagent_env_history (file, id DESC);
