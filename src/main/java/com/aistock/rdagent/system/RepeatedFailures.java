package com.aistock.rdagent.system;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * A failure that repeats (the database away, a full disk) is logged once, then at most once per
 * {@code scheduler.health.failure-log-interval} with how often it happened meanwhile, instead of once per attempt
 * of every timer, poller and request. Only a failure that is not the database being away, the first time it is
 * seen, carries its stack trace. Shared by routes, pollers and plain Java callers, so one outage reads as a few
 * lines whatever notices it.
 */
@Component("repeatedFailures")
public class RepeatedFailures implements ExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(RepeatedFailures.class);
    /** Per kind of failure: when it was last logged and how often it was seen since. */
    private static final Map<String, Window> WINDOWS = new ConcurrentHashMap<>();
    private static volatile long intervalNanos = Duration.ofMinutes(1).toNanos();
    private static LongSupplier clock = System::nanoTime;
    private static final Pattern POLLING = Pattern.compile("^Failed polling endpoint: ([^?\\s]*[^?\\s.])");

    public RepeatedFailures(@Value("${scheduler.health.failure-log-interval}") Duration interval) {
        intervalNanos = interval.toNanos();
    }

    /** The failure of a timer's or poller's tick ({@code background} routes): the next tick tries again. */
    public void routeFailed(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        warn(log, "Route " + exchange.getFromRouteId(), cause);
    }

    /** A polling consumer's failed poll (camel's {@code exceptionHandler} option); it polls again later. */
    @Override
    public void handleException(Throwable exception) {
        warn(log, "Polling", exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        warn(log, what(message), exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        warn(log, what(message), exception);
    }

    /** "Failed polling endpoint: sql://…?options. Will try again at next poll" → "Polling sql://…". */
    private static String what(String message) {
        Matcher polling = POLLING.matcher(message == null ? "" : message);
        return polling.find() ? "Polling " + polling.group(1) : message;
    }

    /**
     * {@code what} failed with {@code failure}: logged now if this kind of failure was not logged within the
     * interval, else counted. The kind is {@code what} and the failure's class, so a new problem is never hidden
     * behind an old one.
     */
    public static void warn(Logger logger, String what, Throwable failure) {
        String reason = failure == null ? "unknown" : rootMessage(failure);
        Due due = due(what + "|" + (failure == null ? "" : failure.getClass().getName()));
        if (due == null) {
            return;
        }
        if (due.first() && failure != null && !ApiError.databaseUnavailable(failure)) {
            logger.warn("{} failed: {}", what, reason, failure);
        } else if (due.since() == 0) {
            logger.warn("{} failed: {}", what, reason);
        } else {
            logger.warn("{} failed {} more times in the last {}: {}", what, due.since(), interval(), reason);
        }
    }

    /** A repeating condition that is no exception (a folder short of space): logged like a failure. */
    public static void warn(Logger logger, String what, String message) {
        Due due = due(what);
        if (due == null) {
            return;
        }
        if (due.since() == 0) {
            logger.warn("{}: {}", what, message);
        } else {
            logger.warn("{}: {} (seen {} more times in the last {})", what, message, due.since(), interval());
        }
    }

    /** Whether {@code key} is to be logged now, and how often it was seen since it last was; null: only counted. */
    private static Due due(String key) {
        long now = clock.getAsLong();
        Window window = WINDOWS.computeIfAbsent(key, k -> new Window());
        synchronized (window) {
            boolean first = window.loggedAt == null;
            if (!first && now - window.loggedAt < intervalNanos) {
                window.since++;
                return null;
            }
            Due due = new Due(first, window.since);
            window.loggedAt = now;
            window.since = 0;
            return due;
        }
    }

    private record Due(boolean first, int since) {
    }

    /** The failure is over: the next one is logged at once, with its stack trace where it has one. */
    public static void recovered(String what) {
        WINDOWS.keySet().removeIf(key -> key.equals(what) || key.startsWith(what + "|"));
    }

    static void useClock(LongSupplier nanos) {
        clock = nanos;
    }

    private static String interval() {
        return Duration.ofNanos(intervalNanos).toString().substring(2).toLowerCase();
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    private static final class Window {
        private Long loggedAt;
        private int since;
    }
}
