package com.aistock.rdagent.schedule;

import java.time.ZoneId;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code scheduler.schedules.*}; defaults live in application.yml.
 *
 * @param defaultTimeZone zone of a schedule that names none
 * @param recent          recent tasks and fires shown with each schedule
 * @param firesKept       fire records kept per schedule
 */
@ConfigurationProperties("scheduler.schedules")
public record ScheduleProperties(ZoneId defaultTimeZone, int recent, int firesKept) {
}
