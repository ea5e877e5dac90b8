-- An RD-Agent backup beside a template, imported once: a second import of the same file changes nothing.
INSERT INTO rdagent_template_history (file, sha256, operator, note, kind, created_at, source_path)
VALUES (:file, :sha256, :operator, :note, 'legacy', :createdAt, :sourcePath)
ON CONFLICT (file, source_path) WHERE source_path IS NOT NULL DO NOTHING
RETURNING id
