-- Under the name's lock only the market can clash; then nothing is inserted and the caller tries another.
INSERT INTO rdagent_dataset_pool (name, market, operator)
VALUES (:name, :market, :operator)
ON CONFLICT DO NOTHING
RETURNING id
