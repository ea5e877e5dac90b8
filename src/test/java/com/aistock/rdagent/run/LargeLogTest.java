package com.aistock.rdagent.run;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A run that prints 1 GiB goes to run.log through the OS; the JVM heap does not grow with it. */
class LargeLogTest extends IntegrationTest {

    private static final long GIB = 1L << 30;
    private static final long MAX_HEAP_GROWTH = 64L << 20;

    @Test
    void aGibibyteOfOutputLeavesTheHeapAlone() throws IOException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long heapBefore = usedHeapAfterGc(memory);

        // one loop is five steps: each prints a fifth of a GiB
        long id = Tasks.submit(api, "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\", "
                + "\"RDAGENT_SIM_LOG_BYTES\": \"" + (GIB / 5 + 1) + "\"}}");
        JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofMinutes(4));

        long heapGrowth = usedHeapAfterGc(memory) - heapBefore;
        Path workspace = Path.of(task.path("workspace_path").asText());
        try {
            assertThat(Files.size(workspace.resolve("run.log"))).isGreaterThan(GIB);
            assertThat(Files.size(Path.of(task.path("archive_path").asText(), "run.log")))
                    .isEqualTo(Files.size(workspace.resolve("run.log")));
            System.out.printf("1 GiB run: heap growth after GC %.1f MiB%n", heapGrowth / 1048576.0);
            assertThat(heapGrowth).isLessThan(MAX_HEAP_GROWTH);
        } finally {
            deleteTree(workspace);
            deleteTree(Path.of(task.path("archive_path").asText()));
        }
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            memory.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
