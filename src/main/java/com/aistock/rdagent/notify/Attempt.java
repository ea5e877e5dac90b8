package com.aistock.rdagent.notify;

import java.time.OffsetDateTime;

/** One delivery attempt as the delivery log shows it. */
public record Attempt(long id, long deliveryId, long channelId, String channelName, String channelType, String kind,
                      Long taskId, Long ruleId, int attempt, String outcome, Integer statusCode, String error,
                      int batchSize, String deliveryStatus, OffsetDateTime attemptedAt) {
}
