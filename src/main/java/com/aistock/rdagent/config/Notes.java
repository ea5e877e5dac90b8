package com.aistock.rdagent.config;

import com.aistock.rdagent.system.ApiException;

/**
 * The note of a change, which the user types: stored exactly as given — never trimmed, never turned into null —
 * or refused naming the field.
 */
public final class Notes {

    static final int MAX_LENGTH = 500;

    private Notes() {
    }

    /** An edit's note: optional. */
    public static String optional(String note) {
        if (note == null) {
            return null;
        }
        if (note.length() > MAX_LENGTH) {
            throw ApiException.validation("note", "must be at most " + MAX_LENGTH + " characters");
        }
        if (note.chars().anyMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029')) {
            throw ApiException.validation("note", "must be one line without control characters");
        }
        return note;
    }

    /** The reason a rollback or restore needs: something to read besides spaces. */
    public static String reason(String note) {
        if (note == null || note.isBlank()) {
            throw ApiException.validation("note", "is required: the reason for putting this version back");
        }
        return optional(note);
    }
}
