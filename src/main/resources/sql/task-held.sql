-- Whether this attempt still holds its task on this node.
SELECT count(*) FROM rdagent_task WHERE id = :id AND attempt = :attempt AND node = :node AND status = 'RUNNING'
