SELECT count(*) FROM rdagent_user WHERE username = :username
