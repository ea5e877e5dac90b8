package com.aistock.rdagent.schedule;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** What Quartz does with fire times missed while no node ran (Quartz's misfire instruction for the trigger). */
public enum MisfirePolicy {
    /** one fire as soon as a node is back, however many were missed */
    FIRE_ONCE,
    /** none: wait for the next fire time */
    SKIP;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
