-- One node at a time sends to a channel, for the transaction: its rate limit is counted and spent under the lock, so
-- two nodes cannot both spend the same budget. false: another node is sending to it now. 1314804820 is the namespace
-- of these locks (the other advisory locks take one bigint key, a separate space).
SELECT pg_try_advisory_xact_lock(1314804820, CAST(:channelId AS integer))
