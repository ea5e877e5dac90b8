-- A rule's digest for :today, taken by one node once.
UPDATE rdagent_notify_rule SET last_digest_on = :today
 WHERE id = :id AND (last_digest_on IS NULL OR last_digest_on < :today)
RETURNING id
