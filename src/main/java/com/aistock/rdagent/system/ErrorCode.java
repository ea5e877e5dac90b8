package com.aistock.rdagent.system;

import java.util.Locale;

/**
 * Every code an error answer can carry, each with the status it is answered with. Clients branch on the code, so
 * the list is closed: the OpenAPI document's error schema enumerates it.
 */
public enum ErrorCode {

    VALIDATION(400),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    CONFLICT(409),
    TOO_LARGE(413),
    UNPROCESSABLE(422),
    TOO_MANY_REQUESTS(429),
    /** A spending limit, answered 429 like a rate limit, but a client must not simply retry it. */
    QUOTA(429),
    INTERNAL(500),
    UNAVAILABLE(503);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The code as it appears in the JSON answer. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The code for a status that the server or the container chose without saying why (405, 411, 415…). */
    public static ErrorCode forStatus(int status) {
        for (ErrorCode code : values()) {
            if (code.status == status && code != QUOTA) {
                return code;
            }
        }
        return status >= 500 ? INTERNAL : VALIDATION;
    }
}
