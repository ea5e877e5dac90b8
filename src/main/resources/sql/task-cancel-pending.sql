UPDATE rdagent_task
   SET status = 'CANCELLED', stop_reason = 'cancelled', finished_at = now()
 WHERE id = :id AND status = 'PENDING'
