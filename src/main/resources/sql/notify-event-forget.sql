-- Events no rule wanted: nothing refers to them.
DELETE FROM rdagent_notify_event e
 WHERE e.id IN (:ids)
   AND NOT EXISTS (SELECT 1 FROM rdagent_notify_delivery d WHERE d.event_id = e.id)
