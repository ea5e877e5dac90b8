package com.aistock.rdagent.system;

import java.util.List;

/**
 * A request the service refuses, carried to the client as {@code {error, message, field}} with its status, plus
 * the line and column when the refusal is about a place in a submitted file.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final ErrorCode code;
    private final String field;
    private final Integer line;
    private final Integer column;

    private ApiException(int status, ErrorCode code, String field, String message, Integer line, Integer column) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
        this.line = line;
        this.column = column;
    }

    public ApiException(ErrorCode code, String field, String message) {
        this(code.status(), code, field, message, null, null);
    }

    public static ApiException validation(String field, String message) {
        return new ApiException(ErrorCode.VALIDATION, field, message);
    }

    /** A request the protocol refuses with its own status (411 for a body without a length), still a validation error. */
    public static ApiException validation(int status, String field, String message) {
        return new ApiException(status, ErrorCode.VALIDATION, field, message, null, null);
    }

    public static ApiException notFound(String message) {
        return new ApiException(ErrorCode.NOT_FOUND, null, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(ErrorCode.FORBIDDEN, null, message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(ErrorCode.CONFLICT, null, message);
    }

    public static ApiException tooLarge(String field, String message) {
        return new ApiException(ErrorCode.TOO_LARGE, field, message);
    }

    /** A body or file over {@code limitBytes}. */
    public static ApiException tooLarge(String field, long limitBytes) {
        String limit = limitBytes % (1 << 20) == 0 ? (limitBytes >> 20) + " MiB" : limitBytes + " bytes";
        return tooLarge(field, "larger than the limit of " + limit);
    }

    /** Well-formed but unusable, such as a template that does not render or parse; line and column may be null. */
    public static ApiException unprocessable(String field, String message, Integer line, Integer column) {
        return new ApiException(ErrorCode.UNPROCESSABLE.status(), ErrorCode.UNPROCESSABLE, field, message, line, column);
    }

    public static ApiException unprocessable(String field, String message) {
        return unprocessable(field, message, null, null);
    }

    public int status() {
        return status;
    }

    public ErrorCode code() {
        return code;
    }

    public String error() {
        return code.code();
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

    /** The lines of a refused file and what is wrong with each, when there are several; else null. */
    public List<ApiError.LineProblem> lines() {
        return null;
    }
}
