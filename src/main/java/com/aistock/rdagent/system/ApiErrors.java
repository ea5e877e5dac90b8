package com.aistock.rdagent.system;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

/** Renders any failure of an API route as the one error shape, with a status and never a stack trace. */
@Component("apiErrors")
public class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    public ApiError render(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ApiException refused = find(cause);
        exchange.getMessage().removeHeaders("*");
        if (refused != null) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, refused.status());
            return ApiError.of(refused);
        }
        if (unavailable(cause)) {
            log.warn("API request while the database is unreachable: {}", cause.getMessage());
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 503);
            return ApiError.unavailable();
        }
        log.error("API request failed", cause);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 500);
        return new ApiError("internal", "internal error; see the service log", null, null, null);
    }

    static boolean unavailable(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessException
                    || t instanceof CannotCreateTransactionException) {
                return true;
            }
        }
        return false;
    }

    /** The refusal behind {@code cause}, however deeply Camel or Spring wrapped it; null when there is none. */
    public static ApiException find(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ApiException refused) {
                return refused;
            }
        }
        return null;
    }
}
