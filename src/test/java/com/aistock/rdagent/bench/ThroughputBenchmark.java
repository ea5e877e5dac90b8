package com.aistock.rdagent.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.aistock.rdagent.support.Tasks;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/**
 * 500 no-op tasks (simulator, one loop, no step time) through the whole pipeline with four concurrent runs:
 * submit, claim, workspace and overlay, run, collect, archive, finish. Baseline: the same 500 commands started by
 * a 4-thread pool directly, with nothing before or after.
 */
class ThroughputBenchmark extends BenchmarkContext {

    private static final int TASKS = Integer.getInteger("bench.throughput.tasks", 500);

    @Test
    void fiveHundredNoOpTasks() throws Exception {
        awaitIdle();
        long first = Long.MAX_VALUE;
        for (int i = 0; i < TASKS; i++) {
            long id = Tasks.submit(api, NO_OP);
            first = Math.min(first, id);
        }
        long from = first;
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM rdagent_task WHERE id >= ? AND finished_at IS NOT NULL", Long.class, from) == TASKS);
        double seconds = jdbc.queryForObject("SELECT extract(epoch FROM max(finished_at) - min(created_at)) "
                + "FROM rdagent_task WHERE id >= ?", Double.class, from);
        long succeeded = jdbc.queryForObject("SELECT count(*) FROM rdagent_task WHERE id >= ? AND status = 'SUCCEEDED'",
                Long.class, from);

        Path folder = BenchResults.FOLDER.resolve("throughput-baseline").toAbsolutePath();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        long t0 = System.nanoTime();
        List<Future<Processes.BareRun>> runs = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            Path workspace = folder.resolve(Integer.toString(i));
            runs.add(pool.submit(() -> Processes.run(rdagentCommand(), workspace, Map.of("RDAGENT_SIM_STEP_SECONDS", "0"))));
        }
        for (Future<Processes.BareRun> run : runs) {
            run.get();
        }
        double baselineSeconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        Processes.deleteTree(folder);

        double rate = TASKS / seconds;
        double baseline = TASKS / baselineSeconds;
        BenchResults.add(new BenchResults.Figure(20, "throughput", "Throughput: " + TASKS + " no-op tasks, 4 at a time",
                rate, "tasks/s", baseline, "4-thread pool, same commands", rate / baseline, "× (rate)",
                "≥ 0.5 × baseline", rate >= 0.5 * baseline,
                String.format("%d of %d SUCCEEDED; first POST → last finished %.1f s; baseline %.1f s. Stand-in: the "
                        + "bundled simulator (step time 0), the same command as the dispatch figure.",
                        succeeded, TASKS, seconds, baselineSeconds)));
    }
}
