package com.aistock.rdagent.notify;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code scheduler.notify.*}; defaults live in application.yml.
 *
 * @param pollInterval  how often events become deliveries and due deliveries are sent
 * @param stallAfter    a RUNNING task with no new log line and no step change this long is stalled (a rule may say)
 * @param retryDelay    first retry of a failed delivery; each next one waits twice as long
 * @param maxRetryDelay the longest wait between two attempts
 * @param maxAttempts   attempts of one delivery before it is given up as failed
 * @param batchSize     most notifications a robot message carries when several are due at once
 */
@ConfigurationProperties("scheduler.notify")
public record NotifyProperties(Duration pollInterval, Duration stallAfter, Duration retryDelay, Duration maxRetryDelay,
                               int maxAttempts, int batchSize) {
}
