-- Serialises imports of one name until the transaction ends, so two uploads never claim the same version.
SELECT pg_advisory_xact_lock(hashtext('rdagent_dataset:' || :name))
