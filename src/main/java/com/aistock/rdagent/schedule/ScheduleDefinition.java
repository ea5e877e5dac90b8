package com.aistock.rdagent.schedule;

import java.time.ZoneId;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A validated schedule body, as POST and PUT take it.
 *
 * @param cron       as the client wrote it (Quartz syntax or the 5-field Unix form)
 * @param quartzCron the Quartz expression Quartz runs
 * @param task       the {@code POST /tasks} body each fire submits
 */
public record ScheduleDefinition(String name, String cron, String quartzCron, ZoneId timeZone, ObjectNode task,
                                 ConfigPin configPin, OverlapPolicy overlapPolicy, MisfirePolicy misfirePolicy,
                                 boolean enabled) {
}
