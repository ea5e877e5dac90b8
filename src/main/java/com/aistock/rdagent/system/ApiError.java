package com.aistock.rdagent.system;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.MediaType;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * The one error answer: {@code {error, message, field}} (plus {@code line}/{@code column} into a refused file, and
 * {@code lines} when several lines of it are at fault) with
 * its status. Camel routes, MVC controllers, filters, Spring Security and the Tomcat valve all build it here, so a
 * failure reads the same wherever it was answered, and never carries a stack trace.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(@JsonIgnore int status, String error, String message, String field, Integer line,
                       Integer column, List<LineProblem> lines) {

    /** One line of a refused file and what is wrong with it. */
    public record LineProblem(int line, String message) {
    }

    private static final Logger log = LoggerFactory.getLogger(ApiError.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    public static ApiError of(ErrorCode code, String message) {
        return new ApiError(code.status(), code.code(), message, null, null, null, null);
    }

    /** An answer the server or container chose by status alone (a 404 for no such path, a 405, a 411…). */
    public static ApiError ofStatus(int status) {
        ErrorCode code = ErrorCode.forStatus(status);
        String message = switch (code) {
            case NOT_FOUND -> "no such resource";
            case INTERNAL -> "internal error; see the service log";
            case UNAVAILABLE -> unavailableMessage();
            default -> "request refused (" + status + ")";
        };
        return new ApiError(status, code.code(), message, null, null, null, null);
    }

    /**
     * Whatever a request failed with: a refusal anywhere in the cause chain answers as itself; a database that
     * cannot be reached is 503 {@code unavailable}; anything else is a 500 {@code internal}, logged with its stack
     * trace here and nowhere in the answer.
     */
    public static ApiError of(Throwable failure) {
        ApiException refused = refusal(failure);
        if (refused != null) {
            return new ApiError(refused.status(), refused.error(), refused.getMessage(), refused.field(),
                    refused.line(), refused.column(), refused.lines());
        }
        if (databaseUnavailable(failure)) {
            // an outage fails every request: one line per interval with a count, not one per request
            RepeatedFailures.warn(log, "Request (database unreachable)", failure);
            return of(ErrorCode.UNAVAILABLE, unavailableMessage());
        }
        log.error("Request failed", failure);
        return of(ErrorCode.INTERNAL, "internal error; see the service log");
    }

    /** The refusal behind {@code failure}, however deeply Camel or Spring wrapped it; null when there is none. */
    public static ApiException refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ApiException refused) {
                return refused;
            }
        }
        return null;
    }

    public static boolean databaseUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessException
                    || t instanceof CannotCreateTransactionException) {
                return true;
            }
        }
        return false;
    }

    /** For filters and handlers that answer before any controller or route runs. */
    public void write(HttpServletResponse response) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json());
    }

    public String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An error answer that cannot be written", e);
        }
    }

    private static String unavailableMessage() {
        return "the database is unreachable; retry shortly";
    }
}
