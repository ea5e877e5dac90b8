SELECT loop, hypothesis, reason, tasks, metrics, decision, decision_reason, experiments, started_at, updated_at, cost
  FROM rdagent_task_loop
 WHERE task_id = :taskId
 ORDER BY loop
