package com.aistock.rdagent.retention;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code scheduler.retention.*}: how long history versions, outbox archives and workspaces are kept. When the
 * clean-up runs is set in the routes ({@code cron}, {@code time-zone}, {@code workspace-interval}).
 *
 * @param historyDays null keeps history forever
 */
@ConfigurationProperties("scheduler.retention")
public record RetentionProperties(Integer historyDays, int outboxDays, int workspaceDays) {
}
