package com.aistock.rdagent.bench;

import java.time.Duration;
import java.util.List;

import com.aistock.rdagent.support.IntegrationTest;
import org.springframework.test.context.TestPropertySource;

import static org.awaitility.Awaitility.await;

/**
 * The service the benchmarks measure, shared by all of them (one context, one embedded PostgreSQL): four
 * concurrent runs, as the throughput figure asks. Runs use the bundled RD-Agent simulator with no step time as
 * the no-op RD-Agent.
 */
@TestPropertySource(properties = "scheduler.worker.max-concurrent-runs=4")
abstract class BenchmarkContext extends IntegrationTest {

    /** Simulator settings of a no-op run: one loop, no step time. */
    static final String NO_OP = "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}";

    /** The simulator command exactly as the service starts it (demo mode). */
    List<String> rdagentCommand() {
        return List.of(base().resolve("data/demo-rdagent/bin/rdagent").toString(), "fin_quant", "--loop-n", "1");
    }

    /** Benchmarks do not measure each other's leftovers. */
    void awaitIdle() {
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM rdagent_task WHERE status IN ('PENDING', 'RUNNING')", Long.class) == 0);
    }
}
