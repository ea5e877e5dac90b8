package com.aistock.rdagent.run;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

import javax.sql.DataSource;

import com.aistock.rdagent.system.SchedulerProperties;
import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.Driver;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Wakes this node's claim as soon as a task becomes PENDING on any node: PostgreSQL NOTIFYs channel
 * {@value #CHANNEL} when such a row commits (Flyway {@code V11}), and this node LISTENs on a connection of its own,
 * outside the pool (a pooled connection would be handed to others and lose the LISTEN). When that connection
 * breaks (a database outage, a terminated backend) it reconnects with growing pauses, then claims once for what
 * was submitted meanwhile. The claim's poll ({@code scheduler.worker.poll-interval}) stays the fallback.
 */
@Component
public class PendingTaskListener implements SmartLifecycle {

    static final String CHANNEL = "rdagent_task_pending";
    private static final String LISTEN = "LISTEN " + CHANNEL;
    /** {@code application_name} of the LISTEN connection, followed by the node id. */
    public static final String APPLICATION_NAME = "rdagent-listen ";

    private static final Logger log = LoggerFactory.getLogger(PendingTaskListener.class);
    /** How long one wait for notifications lasts before the connection is checked. */
    private static final int WAIT_MILLIS = 10_000;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final TaskClaimScheduler claims;
    private final String applicationName;
    private volatile boolean running;
    private volatile Thread thread;
    private volatile Connection connection;

    public PendingTaskListener(DataSource dataSource, TaskClaimScheduler claims, SchedulerProperties properties) {
        this.dataSource = dataSource;
        this.claims = claims;
        this.applicationName = APPLICATION_NAME + properties.nodeId();
    }

    @Override
    public synchronized void start() {
        if (running || !claims.claims()) {
            return;
        }
        running = true;
        Thread listener = new Thread(this::listen, "task-listen");
        listener.setDaemon(true);
        thread = listener;
        listener.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        Thread listener = thread;
        thread = null;
        Connection listening = connection;
        if (listening != null) {
            try {
                // abort, not close: close waits for the wait for notifications to end
                listening.abort(Runnable::run);
            } catch (SQLException e) {
                // already broken: the listener ends on its own
            }
        }
        if (listener != null) {
            listener.interrupt();
            try {
                listener.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listen() {
        Duration pause = FIRST_PAUSE;
        boolean lost = false;
        while (running) {
            try (Connection listening = connect(); Statement statement = listening.createStatement()) {
                connection = listening;
                statement.execute(LISTEN);
                if (lost) {
                    log.info("Listening for pending tasks again");
                    lost = false;
                }
                pause = FIRST_PAUSE;
                // whatever became pending while this node was not listening
                claims.wake();
                PGConnection notifications = listening.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] received = notifications.getNotifications(WAIT_MILLIS);
                    if (received != null && received.length > 0) {
                        claims.wake();
                    } else {
                        // a connection cut without a word (no FIN) only shows when it is used; LISTEN again is a no-op
                        statement.execute(LISTEN);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!lost) {
                    log.warn("Lost the LISTEN connection ({}); claims fall back to the poll until it is back",
                            e.getMessage());
                    lost = true;
                }
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
                Duration doubled = pause.multipliedBy(2);
                pause = doubled.compareTo(LONGEST_PAUSE) < 0 ? doubled : LONGEST_PAUSE;
            } finally {
                connection = null;
            }
        }
    }

    /** A connection of its own, with the pool's settings. */
    private Connection connect() throws SQLException {
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        Properties settings = new Properties();
        settings.putAll(pool.getDataSourceProperties());
        if (pool.getUsername() != null) {
            settings.setProperty("user", pool.getUsername());
        }
        if (pool.getPassword() != null) {
            settings.setProperty("password", pool.getPassword());
        }
        settings.setProperty("ApplicationName", applicationName);
        settings.setProperty("connectTimeout", "5");
        settings.setProperty("tcpKeepAlive", "true");
        // a LISTEN that gets no answer in this long means the connection is gone
        settings.setProperty("socketTimeout", "30");
        Connection connection = new Driver().connect(pool.getJdbcUrl(), settings);
        if (connection == null) {
            throw new SQLException("not a PostgreSQL URL: LISTEN needs PostgreSQL");
        }
        return connection;
    }
}
