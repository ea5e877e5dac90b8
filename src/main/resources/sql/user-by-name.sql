SELECT username, password_hash, role, enabled FROM rdagent_user WHERE username = :username
