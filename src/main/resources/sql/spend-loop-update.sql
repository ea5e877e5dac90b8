-- a loop's first call may come before RD-Agent's first event of the loop: the row is made here then
INSERT INTO rdagent_task_loop (task_id, loop, cost)
VALUES (:taskId, :loop, CAST(:cost AS jsonb))
ON CONFLICT (task_id, loop) DO UPDATE
   SET cost = EXCLUDED.cost, updated_at = now()
 WHERE rdagent_task_loop.cost IS DISTINCT FROM EXCLUDED.cost
