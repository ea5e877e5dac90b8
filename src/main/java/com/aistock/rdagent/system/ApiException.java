package com.aistock.rdagent.system;

/**
 * A request the service refuses, carried to the client as {@code {error, message, field}} with a 4xx status.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String error;
    private final String field;

    public ApiException(int status, String error, String field, String message) {
        super(message);
        this.status = status;
        this.error = error;
        this.field = field;
    }

    public static ApiException validation(String field, String message) {
        return new ApiException(400, "validation", field, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", null, message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "conflict", null, message);
    }

    public static ApiException unprocessable(String field, String message) {
        return new ApiException(422, "unprocessable", field, message);
    }

    /** A body or file over {@code limitBytes}. */
    public static ApiException tooLarge(String field, long limitBytes) {
        String limit = limitBytes % (1 << 20) == 0 ? (limitBytes >> 20) + " MiB" : limitBytes + " bytes";
        return new ApiException(413, "too_large", field, "larger than the limit of " + limit);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String field() {
        return field;
    }
}
