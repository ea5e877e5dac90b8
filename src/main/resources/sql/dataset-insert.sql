INSERT INTO rdagent_dataset (pool_id, version, provider_uri, instruments_file, symbol_count, start_date, end_date,
                             sha256, encoding, warnings, warning_count, normalised, normalised_count, operator)
VALUES (:poolId, :version, :providerUri, :instrumentsFile, :symbolCount, :startDate, :endDate, :sha256, :encoding,
        CAST(:warnings AS jsonb), :warningCount, CAST(:normalised AS jsonb), :normalisedCount, :operator)
RETURNING id
