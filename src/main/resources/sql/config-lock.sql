-- Serialises changes of one managed file across every node, until the transaction ends.
SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))
