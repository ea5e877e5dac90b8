package com.aistock.rdagent.system;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.Map;

import com.aistock.rdagent.task.TaskStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The service's own metrics, scraped at {@code /actuator/prometheus}. Task counts and the heartbeat age are read
 * from the database when scraped (so every node reports the shared truth); runs, config writes and webhook
 * failures and inbox files are counted where they happen.
 */
@Component
public class SchedulerMetrics {

    /** One scrape reads every status gauge: they share one GROUP BY, refreshed at most this often. */
    private static final long COUNTS_MAX_AGE_NANOS = Duration.ofSeconds(1).toNanos();
    /** Runs take minutes to a day; Micrometer's default timer buckets stop at 30 s. */
    private static final Duration[] RUN_BUCKETS = {Duration.ofSeconds(10), Duration.ofMinutes(1),
            Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1),
            Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(8), Duration.ofHours(12),
            Duration.ofHours(24), Duration.ofHours(48)};

    private final MeterRegistry registry;
    private final NamedParameterJdbcTemplate jdbc;
    private final String node;
    private final Counter webhookFailures;
    private volatile Map<TaskStatus, Long> counts = Map.of();
    private volatile long countedAt = System.nanoTime() - COUNTS_MAX_AGE_NANOS;

    public SchedulerMetrics(MeterRegistry registry, NamedParameterJdbcTemplate jdbc, SchedulerProperties properties) {
        this.registry = registry;
        this.jdbc = jdbc;
        this.node = properties.nodeId();
        for (TaskStatus status : TaskStatus.values()) {
            Gauge.builder("rdagent.tasks", this, metrics -> metrics.tasks(status))
                    .description("Tasks in the database by status")
                    .tag("status", status.name())
                    .register(registry);
        }
        Gauge.builder("rdagent.queue.depth", this, metrics -> metrics.tasks(TaskStatus.PENDING))
                .description("Tasks waiting for a worker (PENDING)")
                .register(registry);
        Gauge.builder("rdagent.node.heartbeat.age", this, SchedulerMetrics::heartbeatAge)
                .description("Seconds since this node's heartbeat last reached the database")
                .baseUnit("seconds")
                .register(registry);
        this.webhookFailures = Counter.builder("rdagent.webhook.failures")
                .description("Failed completion-webhook attempts, retries included")
                .register(registry);
        // both outcomes from the start, so a rate over them never begins with a missing series
        inboxFiles("accepted");
        inboxFiles("rejected");
    }

    /** A run ended (any final status); its duration counts from the task's start. */
    public void runFinished(TaskStatus status, OffsetDateTime startedAt) {
        if (startedAt == null) {
            return;
        }
        Timer.builder("rdagent.run.duration")
                .description("Wall time of RD-Agent runs, from start to their final status")
                .tag("status", status.name())
                .serviceLevelObjectives(RUN_BUCKETS)
                .register(registry)
                .record(Duration.between(startedAt, OffsetDateTime.now()));
    }

    /** A managed file (.env or a template) was changed, by a write or a rollback. */
    public void configWritten(String kind, String action) {
        Counter.builder("rdagent.config.writes")
                .description("Changes written to RD-Agent's .env and templates")
                .tag("kind", kind)
                .tag("action", action)
                .register(registry)
                .increment();
    }

    /** An inbox file was imported ({@code accepted}) or set aside in {@code .error/} ({@code rejected}). */
    public void inboxFile(String outcome) {
        inboxFiles(outcome).increment();
    }

    private Counter inboxFiles(String outcome) {
        return Counter.builder("rdagent.inbox.files")
                .description("Files taken from the inbox, by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }

    public void webhookFailed() {
        webhookFailures.increment();
    }

    private double tasks(TaskStatus status) {
        long now = System.nanoTime();
        if (now - countedAt >= COUNTS_MAX_AGE_NANOS) {
            try {
                Map<TaskStatus, Long> fresh = new EnumMap<>(TaskStatus.class);
                jdbc.query(SqlFiles.load("task-count-by-status"), Map.of(), rs -> {
                    fresh.put(TaskStatus.valueOf(rs.getString("status")), rs.getLong("tasks"));
                });
                counts = fresh;
            } catch (DataAccessException unreachable) {
                counts = null;
            }
            countedAt = now;
        }
        Map<TaskStatus, Long> current = counts;
        return current == null ? Double.NaN : current.getOrDefault(status, 0L);
    }

    private double heartbeatAge() {
        try {
            return jdbc.query(SqlFiles.load("node-heartbeat-age"), Map.of("id", node),
                    rs -> rs.next() ? rs.getDouble("age_seconds") : Double.NaN);
        } catch (DataAccessException unreachable) {
            return Double.NaN;
        }
    }
}
