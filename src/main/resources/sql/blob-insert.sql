INSERT INTO rdagent_template_blob (sha256, content) VALUES (:sha256, :content) ON CONFLICT (sha256) DO NOTHING
