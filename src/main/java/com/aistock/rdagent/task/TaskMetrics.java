package com.aistock.rdagent.task;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.Map;

import com.aistock.rdagent.system.SqlFiles;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Tasks as Prometheus sees them: how many there are per status and in the queue, read from the database when
 * scraped (so every node reports the shared truth), and how long runs took, counted as they end.
 */
@Component
public class TaskMetrics {

    /** One scrape reads every status gauge: they share one GROUP BY, refreshed at most this often. */
    private static final long COUNTS_MAX_AGE_NANOS = Duration.ofSeconds(1).toNanos();
    /** Runs take minutes to a day; Micrometer's default timer buckets stop at 30 s. */
    private static final Duration[] RUN_BUCKETS = {Duration.ofSeconds(10), Duration.ofMinutes(1),
            Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1),
            Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(8), Duration.ofHours(12),
            Duration.ofHours(24), Duration.ofHours(48)};

    private final MeterRegistry registry;
    private final NamedParameterJdbcTemplate jdbc;
    private volatile Map<TaskStatus, Long> counts = Map.of();
    private volatile long countedAt = System.nanoTime() - COUNTS_MAX_AGE_NANOS;

    public TaskMetrics(MeterRegistry registry, NamedParameterJdbcTemplate jdbc) {
        this.registry = registry;
        this.jdbc = jdbc;
        for (TaskStatus status : TaskStatus.values()) {
            Gauge.builder("rdagent.tasks", this, metrics -> metrics.tasks(status))
                    .description("Tasks in the database by status")
                    .tag("status", status.name())
                    .register(registry);
        }
        Gauge.builder("rdagent.queue.depth", this, metrics -> metrics.tasks(TaskStatus.PENDING))
                .description("Tasks waiting for a worker (PENDING)")
                .register(registry);
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
}
