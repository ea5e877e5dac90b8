package com.aistock.rdagent.schedule;

import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A schedule as the API shows it (SPEC 7.1), with its next fire times in its own zone and what its recent fires
 * did.
 *
 * @param quartzCron    the Quartz expression {@code cron} runs as (the 5-field Unix form is converted)
 * @param nextFireTimes empty while the schedule is paused
 */
public record ScheduleView(long id, String name, String cron, String quartzCron, String timeZone, ObjectNode task,
                           ConfigPin configPin, OverlapPolicy overlapPolicy, MisfirePolicy misfirePolicy,
                           boolean enabled, List<OffsetDateTime> nextFireTimes, OffsetDateTime lastFireAt,
                           Long lastTaskId, List<RecentTask> recentTasks, List<Fire> recentFires, String operator,
                           OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    public record RecentTask(long id, String name, String status, OffsetDateTime createdAt,
                             OffsetDateTime startedAt, OffsetDateTime finishedAt) {
    }

    /**
     * @param firedBy     {@code cron} or {@code run_now}
     * @param scheduledAt the cron time it was for (null for run-now)
     * @param outcome     {@code created}, {@code skipped} or {@code failed}
     * @param reason      why it was skipped or failed
     */
    public record Fire(long id, String firedBy, OffsetDateTime scheduledAt, OffsetDateTime firedAt, String outcome,
                       Long taskId, String reason, String node) {
    }
}
