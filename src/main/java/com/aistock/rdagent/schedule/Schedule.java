package com.aistock.rdagent.schedule;

import java.time.OffsetDateTime;
import java.time.ZoneId;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A row of {@code rdagent_schedule}, the source of truth Quartz is reconciled from. */
public record Schedule(long id, String name, String cron, ZoneId timeZone, ObjectNode task, ConfigPin configPin,
                       OverlapPolicy overlapPolicy, MisfirePolicy misfirePolicy, boolean enabled,
                       OffsetDateTime lastFireAt, Long lastTaskId, String operator, OffsetDateTime createdAt,
                       OffsetDateTime updatedAt) {

    /** The Quartz form of the stored cron; it was validated when saved. */
    public String quartzCron() {
        return CronSchedules.toQuartz(cron);
    }
}
