package com.aistock.rdagent.config;

/**
 * Who changes a managed file, why, and how; recorded on the history row of the version it replaces.
 *
 * @param action {@code write}, {@code rollback} or {@code backup}
 * @param taskId the task the change comes from; null for a change made by hand
 */
public record ConfigChange(String operator, String note, String action, Long taskId) {

    public static ConfigChange write(String operator, String note) {
        return new ConfigChange(operator, note, "write", null);
    }

    public static ConfigChange rollback(String operator, String note) {
        return new ConfigChange(operator, note, "rollback", null);
    }

    /** A version found on disk that history did not have yet. */
    public static ConfigChange noticed(String operator) {
        return new ConfigChange(operator, "changed outside the scheduler", "backup", null);
    }
}
