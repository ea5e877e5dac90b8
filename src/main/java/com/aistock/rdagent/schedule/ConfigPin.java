package com.aistock.rdagent.schedule;

import java.util.List;

/**
 * Which templates a schedule's tasks run: {@code current} (the live files at fire time) or {@code fixed} (the
 * given history versions, passed to each task as {@code source_history_ids}).
 */
public record ConfigPin(String mode, List<Long> historyIds) {

    public static final String CURRENT = "current";
    public static final String FIXED = "fixed";

    public static ConfigPin current() {
        return new ConfigPin(CURRENT, List.of());
    }

    public boolean fixed() {
        return FIXED.equals(mode);
    }
}
