package com.aistock.rdagent.task;

import java.time.Duration;

/** RD-Agent's duration syntax ({@code 1h}, {@code 90m}, {@code 3600}, {@code 1.5h}, {@code 2d}). */
public final class RdAgentDuration {

    private RdAgentDuration() {
    }

    public static Duration parse(String text) {
        char unit = text.charAt(text.length() - 1);
        boolean hasUnit = Character.isLetter(unit);
        double value = Double.parseDouble(hasUnit ? text.substring(0, text.length() - 1) : text);
        double seconds = switch (hasUnit ? unit : 's') {
            case 'm' -> value * 60;
            case 'h' -> value * 3600;
            case 'd' -> value * 86400;
            default -> value;
        };
        return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
    }
}
