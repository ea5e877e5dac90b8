package com.aistock.rdagent.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import com.aistock.rdagent.run.PendingTaskListener;
import com.aistock.rdagent.schedule.SecondInstance;
import com.aistock.rdagent.support.Tasks;
import com.aistock.rdagent.system.SchedulerProperties;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.awaitility.Awaitility.await;

/**
 * A task POSTed on one node and started by a worker on another: POST sent → the RD-Agent process spawned on the
 * worker (the attempt row written right after {@code start()}, PostgreSQL's clock, the same host clock as the
 * client's). Baseline: the same with this node's own worker (the in-process wake-up). The other node is a second JVM
 * on the same database with the default poll interval (1 s); this node's claim is stopped while it measures, so only
 * the other node can start the tasks. One task at a time.
 */
class CrossNodeDispatchBenchmark extends BenchmarkContext {

    private static final int TASKS = Integer.getInteger("bench.cross-node.tasks", 100);
    private static final int WARM_UP = 10;
    private static final String WORKER = "bench-worker";

    @Autowired
    DataSource dataSource;

    @Autowired
    CamelContext camel;

    @Autowired
    SchedulerProperties properties;

    @Test
    void postOnOneNodeToProcessStartOnAnother() throws Exception {
        awaitIdle();
        List<Double> sameNodeRows = new ArrayList<>();
        List<Double> sameNode = dispatch(properties.nodeId(), sameNodeRows);
        Path base = base().resolveSibling(base().getFileName() + "-" + WORKER);
        List<Double> crossNode;
        List<Double> crossNodeRows = new ArrayList<>();
        camel.getRouteController().stopRoute("task-claim");
        try (SecondInstance worker = SecondInstance.startWorker(((HikariDataSource) dataSource).getJdbcUrl(), base, WORKER)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?", Long.class,
                    PendingTaskListener.APPLICATION_NAME + WORKER) > 0);
            crossNode = dispatch(WORKER, crossNodeRows);
        } finally {
            camel.getRouteController().startRoute("task-claim");
        }

        String note = TASKS + " tasks one at a time after " + WARM_UP + " warm-up, simulator with no step time; the "
                + "worker node is a second JVM on the same PostgreSQL polling every 1 s (the default), woken by "
                + "LISTEN/NOTIFY. Baseline: the same POSTs started by the node that took them. "
                + String.format(Locale.ROOT, "Task row created → process spawned (PostgreSQL's clock alone), p50: "
                        + "%.1f ms across nodes, %.1f ms on the same node.", BenchResults.percentile(crossNodeRows, 50),
                        BenchResults.percentile(sameNodeRows, 50));
        figure(14, "cross-node-dispatch-p50", 50, crossNode, sameNode, 50, note);
        figure(15, "cross-node-dispatch-p99", 99, crossNode, sameNode, 200, null);
    }

    /** POST sent → process spawned on {@code node}, one task at a time, in ms; {@code rows}: row created → spawned. */
    private List<Double> dispatch(String node, List<Double> rows) {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < TASKS + WARM_UP; i++) {
            Instant sent = Instant.now();
            long id = Tasks.submit(api, NO_OP);
            Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofSeconds(60));
            Map<String, Object> attempt = jdbc.queryForMap(
                    "SELECT a.started_at, a.node, extract(epoch FROM a.started_at - t.created_at) * 1000 AS row_millis "
                            + "FROM rdagent_task_attempt a JOIN rdagent_task t ON t.id = a.task_id WHERE a.task_id = ? "
                            + "ORDER BY a.attempt LIMIT 1", id);
            if (!node.equals(attempt.get("node"))) {
                throw new AssertionError("task " + id + " ran on " + attempt.get("node") + ", not " + node);
            }
            if (i >= WARM_UP) {
                Instant spawned = ((java.sql.Timestamp) attempt.get("started_at")).toInstant();
                millis.add(Duration.between(sent, spawned).toNanos() / 1e6);
                rows.add(((Number) attempt.get("row_millis")).doubleValue());
            }
        }
        return millis;
    }

    private static void figure(int order, String id, int percentile, List<Double> values, List<Double> baselines,
                               double targetMillis, String note) {
        double value = BenchResults.percentile(values, percentile);
        double baseline = BenchResults.percentile(baselines, percentile);
        BenchResults.add(new BenchResults.Figure(order, id, "Cross-node dispatch p" + percentile
                + ": POST on node A → process spawned on worker node B", value, "ms", baseline,
                "same-node dispatch p" + percentile, value / baseline, "× (time)", "p" + percentile + " ≤ "
                + (int) targetMillis + " ms", value <= targetMillis, note));
    }
}
