SELECT loop, decision FROM rdagent_task_loop WHERE task_id = :taskId AND decision IS NOT NULL
