package com.aistock.rdagent.schedule;

/** A fire whose transaction was rolled back: what went wrong, for the caller to report. */
public record ScheduleFailure(Exception cause) {
}
