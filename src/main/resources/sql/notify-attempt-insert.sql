-- attempted_at when it was sent, not when the sending transaction began: the rate limit counts from it.
INSERT INTO rdagent_notify_attempt (delivery_id, channel_id, send_no, attempt, outcome, status_code, error, batch_size, attempted_at)
VALUES (:deliveryId, :channelId, :sendNo, :attempt, :outcome, CAST(:statusCode AS integer), CAST(:error AS text), :batchSize,
        clock_timestamp())
