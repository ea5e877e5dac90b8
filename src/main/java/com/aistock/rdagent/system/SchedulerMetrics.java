package com.aistock.rdagent.system;

import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The service's own metrics, scraped at {@code /actuator/prometheus}, beside the task metrics of
 * {@code task/TaskMetrics}. The heartbeat age is read from the database when scraped (so every node reports the
 * shared truth); config writes, webhook failures and inbox files are counted where they happen.
 */
@Component
public class SchedulerMetrics {

    private final MeterRegistry registry;
    private final NamedParameterJdbcTemplate jdbc;
    private final String node;
    private final Counter webhookFailures;

    public SchedulerMetrics(MeterRegistry registry, NamedParameterJdbcTemplate jdbc, SchedulerProperties properties) {
        this.registry = registry;
        this.jdbc = jdbc;
        this.node = properties.nodeId();
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

    private double heartbeatAge() {
        try {
            return jdbc.query(SqlFiles.load("node-heartbeat-age"), Map.of("id", node),
                    rs -> rs.next() ? rs.getDouble("age_seconds") : Double.NaN);
        } catch (DataAccessException unreachable) {
            return Double.NaN;
        }
    }
}
