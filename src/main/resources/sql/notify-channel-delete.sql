DELETE FROM rdagent_notify_channel WHERE id = :id
