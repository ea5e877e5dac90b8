package com.aistock.rdagent.schedule;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a fire does while the schedule's previous task is still pending or running. */
public enum OverlapPolicy {
    /** record the fire as skipped, with the task it waited for */
    SKIP,
    /** create the task anyway; the worker queue runs them in turn */
    QUEUE;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
