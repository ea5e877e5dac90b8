package com.aistock.rdagent.system;

/**
 * A request the service refuses, carried to the client as {@code {error, message, field}} with a 4xx status, plus
 * the line and column when the refusal is about a place in a submitted file.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String error;
    private final String field;
    private final Integer line;
    private final Integer column;

    public ApiException(int status, String error, String field, String message) {
        this(status, error, field, message, null, null);
    }

    private ApiException(int status, String error, String field, String message, Integer line, Integer column) {
        super(message);
        this.status = status;
        this.error = error;
        this.field = field;
        this.line = line;
        this.column = column;
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

    public static ApiException tooLarge(String field, String message) {
        return new ApiException(413, "too_large", field, message);
    }

    /** Well-formed but unusable, such as a template that does not render or parse; line and column may be null. */
    public static ApiException unprocessable(String field, String message, Integer line, Integer column) {
        return new ApiException(422, "unprocessable", field, message, line, column);
    }

    public static ApiException unprocessable(String field, String message) {
        return unprocessable(field, message, null, null);
    }

    /** A body or file over {@code limitBytes}. */
    public static ApiException tooLarge(String field, long limitBytes) {
        String limit = limitBytes % (1 << 20) == 0 ? (limitBytes >> 20) + " MiB" : limitBytes + " bytes";
        return tooLarge(field, "larger than the limit of " + limit);
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

    public Integer line() {
        return line;
    }

    public Integer column() {
        return column;
    }
}
