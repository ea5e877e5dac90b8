package com.aistock.rdagent.system;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

class RepeatedFailuresTest {

    private final AtomicLong now = new AtomicLong();
    private final Logger logger = (Logger) LoggerFactory.getLogger("repeated-failures-test");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final RepeatedFailures failures = new RepeatedFailures(Duration.ofSeconds(60));

    @BeforeEach
    void capture() {
        RepeatedFailures.useClock(now::get);
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
        RepeatedFailures.useClock(System::nanoTime);
    }

    @Test
    void aFailureIsLoggedOnceThenOncePerIntervalWithItsCount() {
        IllegalStateException broken = new IllegalStateException("broken");
        RepeatedFailures.warn(logger, "Tick A", broken);
        for (int i = 0; i < 59; i++) {
            now.addAndGet(Duration.ofSeconds(1).toNanos());
            RepeatedFailures.warn(logger, "Tick A", broken);
        }
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        RepeatedFailures.warn(logger, "Tick A", broken);

        List<String> messages = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(messages).containsExactly("Tick A failed: broken", "Tick A failed 59 more times in the last 1m: broken");
        assertThat(lines.list.get(0).getThrowableProxy()).as("the first one with its stack trace").isNotNull();
        assertThat(lines.list.get(1).getThrowableProxy()).isNull();
    }

    @Test
    void theDatabaseBeingAwayNeverCarriesAStackTraceAndAnotherFailureIsNotHiddenBehindIt() {
        CannotGetJdbcConnectionException away = new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                new java.sql.SQLException("Connection refused"));
        RepeatedFailures.warn(logger, "Tick B", away);
        RepeatedFailures.warn(logger, "Tick B", away);
        RepeatedFailures.warn(logger, "Tick B", new IllegalArgumentException("something else"));

        assertThat(lines.list).hasSize(2);
        assertThat(lines.list.get(0).getFormattedMessage()).isEqualTo("Tick B failed: Connection refused");
        assertThat(lines.list.get(0).getThrowableProxy()).isNull();
        assertThat(lines.list.get(1).getFormattedMessage()).isEqualTo("Tick B failed: something else");
    }

    @Test
    void aConditionThatIsOverIsLoggedAtOnceWhenItReturns() {
        RepeatedFailures.warn(logger, "Disk C", "full");
        RepeatedFailures.warn(logger, "Disk C", "full");
        RepeatedFailures.recovered("Disk C");
        RepeatedFailures.warn(logger, "Disk C", "full again");

        assertThat(lines.list.stream().map(ILoggingEvent::getFormattedMessage))
                .containsExactly("Disk C: full", "Disk C: full again");
    }

    @Test
    void aFailedPollIsNamedByItsEndpointWithoutOptions() {
        Logger own = (Logger) LoggerFactory.getLogger(RepeatedFailures.class);
        own.addAppender(lines);
        try {
            failures.handleException("Failed polling endpoint: sql://classpath:sql/task-claim.sql?scheduler=%23x. Will try again at next poll",
                    null, new IllegalStateException("down"));
        } finally {
            own.detachAppender(lines);
        }
        assertThat(lines.list.get(0).getFormattedMessage()).isEqualTo("Polling sql://classpath:sql/task-claim.sql failed: down");
    }
}
