package com.aistock.rdagent.schedule;

import java.time.OffsetDateTime;

/**
 * A request for a schedule to fire, as it reaches {@code direct:run-schedule}.
 *
 * @param firedBy     {@link #CRON} (a Quartz trigger) or {@link #RUN_NOW} (the API)
 * @param scheduledAt the cron time it is for; null for run-now
 * @param operator    who asked, for run-now; a cron fire runs as the schedule's operator
 */
public record ScheduleFire(long scheduleId, String firedBy, OffsetDateTime scheduledAt, String operator) {

    public static final String CRON = "cron";
    public static final String RUN_NOW = "run_now";

    public boolean runNow() {
        return RUN_NOW.equals(firedBy);
    }
}
