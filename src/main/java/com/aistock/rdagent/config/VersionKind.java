package com.aistock.rdagent.config;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a version of a managed file came to be. */
public enum VersionKind {
    /** What the file held when the service first looked at it. */
    INITIAL,
    /** Written through the API or the console. */
    WRITE,
    /** An earlier version put back from the history. */
    ROLLBACK,
    /** Changed outside the service (an editor, {@code git pull}, another tool), noticed on disk. */
    DRIFT,
    /** One of RD-Agent's own {@code .backup_*.yaml} files beside the templates, imported for reference. */
    LEGACY,
    /** A task's version made the live one again from the task's detail. */
    RESTORE;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static VersionKind of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
