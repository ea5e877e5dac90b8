-- Workspaces a pending or running task still uses: its own, and that of the task it re-runs or resumes.
SELECT t.id, t.workspace_path
  FROM rdagent_task t
 WHERE t.status IN ('PENDING', 'RUNNING')
UNION
SELECT o.id, o.workspace_path
  FROM rdagent_task t
  JOIN rdagent_task o ON o.id = t.rerun_of
 WHERE t.status IN ('PENDING', 'RUNNING')
