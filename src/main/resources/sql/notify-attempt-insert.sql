INSERT INTO rdagent_notify_attempt (delivery_id, channel_id, send_no, attempt, outcome, status_code, error, batch_size)
VALUES (:deliveryId, :channelId, :sendNo, :attempt, :outcome, CAST(:statusCode AS integer), CAST(:error AS text), :batchSize)
