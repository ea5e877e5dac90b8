SELECT content FROM rdagent_template_blob WHERE sha256 = :sha256
