-- Every way a task becomes PENDING (submitted through the API, the inbox or a schedule, a rerun, a resume, the next
-- attempt after a lost node) tells the worker nodes at once: they LISTEN on this channel (run/PendingTaskListener)
-- and claim without waiting for their poll. PostgreSQL delivers a NOTIFY when its transaction commits, so a worker
-- never looks before the row is visible, and folds identical ones of one transaction (a batch) into one.
CREATE FUNCTION rdagent_task_pending_notify() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('rdagent_task_pending', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER rdagent_task_pending_notify
    AFTER INSERT OR UPDATE OF status ON rdagent_task
    FOR EACH ROW
    WHEN (NEW.status = 'PENDING')
EXECUTE FUNCTION rdagent_task_pending_notify();
