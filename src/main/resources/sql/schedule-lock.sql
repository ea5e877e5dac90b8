-- Serialises everything that acts on one schedule across nodes: fires, run-now, saves and reconciles.
SELECT * FROM rdagent_schedule WHERE id = :id FOR UPDATE
