package com.aistock.rdagent.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import com.aistock.rdagent.support.RequiredTools;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 10,000 {@code token_cost} records written into a running task's trace folder by python3's pickle, as RD-Agent
 * writes them (straight into the final file): clock from the last record written (python's wall clock after its
 * close) to the task's cost counting all of them (the API's answer). Baseline: python3 loading the same 10,000
 * pickles, one after another.
 */
class SpendBenchmark extends BenchmarkContext {

    private static final int RECORDS = Integer.getInteger("bench.spend.records", 10_000);
    private static final double TARGET_SECONDS = 2;

    @Value("${scheduler.llm.watch-interval}")
    String watchInterval;

    @Test
    void tenThousandTokenCostRecords() throws Exception {
        awaitIdle();
        RequiredTools.pythonModules();
        Path hold = Files.createTempFile(base(), "hold", "");
        long id = Tasks.submit(api, "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\", "
                + "\"RDAGENT_SIM_HOLD_FILE\": \"" + hold + "\"}}");
        try {
            JsonNode running = Tasks.awaitStatus(api, id, "RUNNING", Duration.ofSeconds(60));
            Path folder = Path.of(running.path("workspace_path").asText())
                    .resolve("log/Loop_0/direct_exp_gen/token_cost/4242");
            String written = python("import pickle, os, sys, time, datetime\n"
                    + "folder = sys.argv[1]; os.makedirs(folder, exist_ok=True)\n"
                    + "start = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)\n"
                    + "for i in range(" + RECORDS + "):\n"
                    + "    stamp = (start + datetime.timedelta(microseconds=i)).strftime('%Y-%m-%d_%H-%M-%S-%f')\n"
                    + "    with open(os.path.join(folder, stamp + '.pkl'), 'wb') as f:\n"
                    + "        pickle.dump({'model': 'bench-model', 'prompt_tokens': 1000 + i % 7, 'completion_tokens': 100,"
                    + " 'cost': 0.001, 'accumulated_cost': 0.001 * (i + 1)}, f)\n"
                    + "print(int(time.time() * 1000))\n", folder.toString());
            long lastWritten = Long.parseLong(written.strip());
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(10)).until(() -> calls(id) >= RECORDS);
            double lag = (System.currentTimeMillis() - lastWritten) / 1000.0;
            assertThat(calls(id)).isEqualTo(RECORDS);

            String loaded = python("import pickle, os, sys, time\nfolder = sys.argv[1]\nt0 = time.monotonic()\n"
                    + "for name in os.listdir(folder):\n    with open(os.path.join(folder, name), 'rb') as f:\n"
                    + "        pickle.load(f)\nprint(time.monotonic() - t0)\n", folder.toString());
            double baseline = Double.parseDouble(loaded.strip());
            BenchResults.add(new BenchResults.Figure(80, "spend", "LLM spend: " + RECORDS
                    + " token_cost records → accounted", lag, "s", baseline, "python3 pickle.load of the same files",
                    lag / baseline, "× (time)", "≤ 2 s after the last record", lag <= TARGET_SECONDS,
                    String.format(Locale.ROOT, "Records written by python3 into a running task's trace folder "
                            + "(watch interval %s); lag = last record closed → the task's cost counts all %d (API). "
                            + "Baseline: python3 loading the %d pickles, %.2f s.",
                            watchInterval, RECORDS, RECORDS, baseline)));
        } finally {
            Files.deleteIfExists(hold);
            api.post("/api/rdagent/tasks/" + id + "/cancel", "");
            Tasks.awaitFinished(api, id, Duration.ofMinutes(2));
        }
    }

    private long calls(long id) {
        return Tasks.get(api, id).path("cost").path("calls").asLong();
    }

    private static String python(String script, String argument) throws Exception {
        Process process = new ProcessBuilder(RequiredTools.PYTHON, "-c", script, argument).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(new String(process.getErrorStream().readAllBytes())).isZero();
        return new String(out);
    }
}
