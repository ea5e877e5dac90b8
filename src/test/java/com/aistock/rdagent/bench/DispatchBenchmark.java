package com.aistock.rdagent.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * POST → RD-Agent process start, one task at a time (a free worker each time), simulator with no step time. Two
 * clocks: the service's own (task row created → process spawned, both recorded by PostgreSQL; the spawn is the
 * attempt row written right after {@code start()}, since {@code heartbeat_at} is renewed while the run goes on),
 * and the client's (POST sent → the simulator's first log line, Python's start-up included). Baselines: the same
 * command started by a bare {@link ProcessBuilder}, for its {@code start()} and for its first log line.
 */
class DispatchBenchmark extends BenchmarkContext {

    private static final int TASKS = Integer.getInteger("bench.dispatch.tasks", 200);
    private static final int WARM_UP = 10;
    private static final double TARGET_MARGIN_MS = 50;

    @Test
    void postToProcessStart() throws IOException, InterruptedException {
        awaitIdle();
        List<Double> spawn = new ArrayList<>();
        List<Double> firstLine = new ArrayList<>();
        List<Double> answered = new ArrayList<>();
        List<Double> spawnToLine = new ArrayList<>();
        for (int i = 0; i < TASKS + WARM_UP; i++) {
            Instant sent = Instant.now();
            long id = Tasks.submit(api, NO_OP);
            double postMillis = Duration.between(sent, Instant.now()).toNanos() / 1e6;
            JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofSeconds(60));
            if (i < WARM_UP) {
                continue;
            }
            Map<String, Object> times = jdbc.queryForMap("SELECT extract(epoch FROM a.started_at - t.created_at) * 1000 AS spawn, "
                    + "a.started_at FROM rdagent_task t JOIN rdagent_task_attempt a ON a.task_id = t.id WHERE t.id = ?", id);
            spawn.add(((Number) times.get("spawn")).doubleValue());
            Instant printed = Processes.firstLine(Path.of(task.path("workspace_path").asText(), "run.log"));
            firstLine.add(Duration.between(sent, printed).toNanos() / 1e6);
            answered.add(postMillis);
            Instant spawned = ((java.sql.Timestamp) times.get("started_at")).toInstant();
            spawnToLine.add(Duration.between(spawned, printed).toNanos() / 1e6);
        }

        List<Double> bareStart = new ArrayList<>();
        List<Double> bareFirstLine = new ArrayList<>();
        Path folder = BenchResults.FOLDER.resolve("dispatch-baseline").toAbsolutePath();
        for (int i = 0; i < TASKS + WARM_UP; i++) {
            Processes.BareRun run = Processes.run(rdagentCommand(), folder.resolve(Integer.toString(i)),
                    Map.of("RDAGENT_SIM_STEP_SECONDS", "0"));
            if (i >= WARM_UP) {
                bareStart.add(run.startMillis());
                bareFirstLine.add(Duration.between(run.started(), Processes.firstLine(run.log())).toNanos() / 1e6);
            }
        }
        Processes.deleteTree(folder);

        String note = TASKS + " tasks one at a time after " + WARM_UP + " warm-up; baseline " + TASKS
                + " bare ProcessBuilder runs of `setsid <demo>/bin/rdagent fin_quant --loop-n 1` (step time 0).";
        figure(10, "dispatch-spawn-p50", "Dispatch p50: task row created → process spawned", spawn, bareStart, 50,
                "ProcessBuilder.start()", note);
        figure(11, "dispatch-spawn-p99", "Dispatch p99: task row created → process spawned", spawn, bareStart, 99,
                "ProcessBuilder.start()", null);
        figure(12, "dispatch-client-p50", "Dispatch p50: POST sent → RD-Agent's first log line", firstLine,
                bareFirstLine, 50, "start() → first log line", String.format("Both include the Python start-up of the "
                        + "simulator. Where the time goes (p50): POST answered %.0f ms; process spawned → first log line "
                        + "%.0f ms under the service (PYTHONPATH through the task's overlay) against %.0f ms bare.",
                        BenchResults.percentile(answered, 50), BenchResults.percentile(spawnToLine, 50),
                        BenchResults.percentile(bareFirstLine, 50)));
        figure(13, "dispatch-client-p99", "Dispatch p99: POST sent → RD-Agent's first log line", firstLine,
                bareFirstLine, 99, "start() → first log line", null);
    }

    private static void figure(int order, String id, String title, List<Double> values, List<Double> baselines,
                               int percentile, String baselineOf, String note) {
        double value = BenchResults.percentile(values, percentile);
        double baseline = BenchResults.percentile(baselines, percentile);
        boolean judged = percentile == 50;
        BenchResults.add(new BenchResults.Figure(order, id, title, value, "ms", baseline, baselineOf + " p" + percentile,
                value / baseline, "× (time)", judged ? "≤ baseline + 50 ms" : "reported (target is on p50)",
                judged ? value <= baseline + TARGET_MARGIN_MS : null, note));
    }
}
