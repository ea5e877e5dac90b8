-- Where an attempt's pid means something: the boot and the pid namespace it was started in. Only a node in the same
-- place can check that the process is gone (pid + start time) or stop it; anywhere else its lease is waited out.
ALTER TABLE rdagent_task_attempt ADD COLUMN pid_space varchar(200);
