package com.aistock.rdagent.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run that prints 1 GiB succeeds with the whole of it in run.log and in the archive. (That the heap does not grow
 * with it is a figure of LogBenchmark.)
 */
// a run printing 1 GiB: longer than the suite's default
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LargeLogTest extends IntegrationTest {

    private static final long GIB = 1L << 30;

    @Test
    void aGibibyteOfOutputReachesRunLogAndTheArchiveWhole() throws IOException {
        // one loop is five steps: each prints a fifth of a GiB
        long id = Tasks.submit(api, "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\", "
                + "\"RDAGENT_SIM_LOG_BYTES\": \"" + (GIB / 5 + 1) + "\"}}");
        JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofMinutes(4));

        Path workspace = Path.of(task.path("workspace_path").asText());
        try {
            assertThat(Files.size(workspace.resolve("run.log"))).isGreaterThan(GIB);
            assertThat(Files.size(Path.of(task.path("archive_path").asText(), "run.log")))
                    .isEqualTo(Files.size(workspace.resolve("run.log")));
        } finally {
            deleteTree(workspace);
            deleteTree(Path.of(task.path("archive_path").asText()));
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
