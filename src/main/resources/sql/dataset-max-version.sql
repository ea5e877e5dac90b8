-- Version numbers are never reused, not even those of deleted versions.
SELECT coalesce(max(version), 0) FROM rdagent_dataset WHERE pool_id = :poolId
