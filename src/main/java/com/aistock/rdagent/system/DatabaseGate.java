package com.aistock.rdagent.system;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A polling consumer that needs the database polls only while it answers; otherwise its input waits. Routes ask it
 * too whether a failure was the database being away.
 */
@Component("databaseGate")
public class DatabaseGate implements PollingConsumerPollStrategy {

    private static final Logger log = LoggerFactory.getLogger(DatabaseGate.class);
    private final JdbcTemplate jdbc;
    private volatile boolean wasDown;

    public DatabaseGate(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        try {
            jdbc.queryForObject("SELECT 1", Integer.class);
            if (wasDown) {
                log.info("Database reachable again: {} resumes", endpoint.getEndpointBaseUri());
                wasDown = false;
            }
            return true;
        } catch (RuntimeException e) {
            if (!wasDown) {
                log.warn("Database unreachable: {} waits ({})", endpoint.getEndpointBaseUri(), e.getMessage());
                wasDown = true;
            }
            return false;
        }
    }

    /** For a route's retry: the exchange failed because the database cannot be reached, and a retry can succeed. */
    public boolean isUnavailable(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return ApiError.databaseUnavailable(failure);
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        // nothing to release
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        return false;
    }
}
