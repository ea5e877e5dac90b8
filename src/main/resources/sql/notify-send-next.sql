SELECT nextval('rdagent_notify_send_seq')
