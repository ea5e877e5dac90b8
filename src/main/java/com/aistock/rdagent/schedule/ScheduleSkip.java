package com.aistock.rdagent.schedule;

/** A fire that created no task because the overlap policy said so. */
public record ScheduleSkip(String reason) {
}
