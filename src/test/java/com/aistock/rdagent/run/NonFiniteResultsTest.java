package com.aistock.rdagent.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code qlib_res.csv} whose metrics are no numbers (NaN and infinities, written as pandas writes them, with the
 * best metric at +inf) is no result: it never makes a task SUCCEEDED and never wins "best".
 */
class NonFiniteResultsTest extends IntegrationTest {

    private static final Duration RUN = Duration.ofSeconds(90);
    private static final String BEST = "1day.excess_return_with_cost.annualized_return";

    @Test
    void aRunWhoseOnlyResultsAreNanOrInfiniteFails() throws IOException {
        long id = Tasks.submit(api, "{\"loop_n\": 2, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\","
                + " \"RDAGENT_SIM_NAN_METRICS\": \"all\"}}");

        JsonNode task = Tasks.awaitStatus(api, id, "FAILED", RUN);

        assertThat(task.path("exit_code").asInt()).isZero();
        assertThat(task.path("error").asText()).startsWith("no finite results");
        assertThat(task.path("metrics").path("sota").isNull()).isTrue();
        assertThat(task.path("metrics").path("best").isNull()).isTrue();
        assertThat(resultFiles(task, "workspace_path", "ws")).as("the simulator did write them").hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aNanOrInfiniteResultNeverWinsBest() throws IOException {
        long id = Tasks.submit(api, "{\"loop_n\": 2, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\","
                + " \"RDAGENT_SIM_NAN_METRICS\": \"1\"}}");

        JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", RUN);

        JsonNode metrics = task.path("metrics");
        for (String result : List.of("sota", "best")) {
            assertThat(metrics.path(result).path("loop").asInt(0)).as("%s never loop 1", result).isZero();
            metrics.path(result).path("values").forEach(value -> assertThat(value.isNull() || Double.isFinite(value.asDouble())).isTrue());
        }
        JsonNode last = metrics.path("last");
        assertThat(last.path("loop").asInt()).isOne();
        assertThat(last.path("values").path("ic").isNull()).as("NaN is no value").isTrue();
        assertThat(last.path("values").path("annualized_return").isNull()).as("nor is +inf").isTrue();
        assertThat(last.path("non_finite").toString()).contains("IC", BEST);

        // RD-Agent's own events carry the same values (Python writes NaN and Infinity): kept without them
        JsonNode loops = api.get("/api/rdagent/tasks/" + id + "/loops").json();
        assertThat(loops).hasSize(2);
        assertThat(loops.get(0).path("metrics").path(BEST).isNumber()).isTrue();
        loops.get(1).path("metrics").forEach(value -> assertThat(value.isNumber())
                .as("loop 1 had no finite value, so it shows no number").isFalse());
    }

    /** The qlib_res.csv files under a task's workspace ws/ or archive results/. */
    private static List<Path> resultFiles(JsonNode task, String folder, String under) throws IOException {
        Path root = Path.of(task.path(folder).asText(), under);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().endsWith("qlib_res.csv")).toList();
        }
    }
}
