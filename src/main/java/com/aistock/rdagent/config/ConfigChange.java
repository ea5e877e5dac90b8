package com.aistock.rdagent.config;

/**
 * Who changes a managed file, why and how; recorded on the version the change produces.
 *
 * @param note   exactly as the user gave it (null when none was given)
 * @param taskId the task the change comes from (a task's version made live again); null for a change by hand
 */
public record ConfigChange(String operator, String note, VersionKind kind, Long taskId) {

    /** The operator of what the service finds on disk. */
    public static final String FILESYSTEM = "filesystem";

    public static ConfigChange write(String operator, String note) {
        return new ConfigChange(operator, note, VersionKind.WRITE, null);
    }

    public static ConfigChange rollback(String operator, String note) {
        return new ConfigChange(operator, note, VersionKind.ROLLBACK, null);
    }

    public static ConfigChange restore(String operator, String note, long taskId) {
        return new ConfigChange(operator, note, VersionKind.RESTORE, taskId);
    }

    static ConfigChange found(VersionKind kind, String note) {
        return new ConfigChange(FILESYSTEM, note, kind, null);
    }
}
