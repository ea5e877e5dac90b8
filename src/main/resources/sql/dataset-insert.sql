INSERT INTO rdagent_dataset (name, version, provider_uri, instruments_file, symbol_count, start_date, end_date,
                             sha256, operator)
VALUES (:name, :version, :providerUri, :instrumentsFile, :symbolCount, :startDate, :endDate, :sha256, :operator)
RETURNING id
