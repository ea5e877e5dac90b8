package com.aistock.rdagent.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** With max-concurrent-runs=2, five tasks submitted at once never run more than two at a time; priority orders the queue. */
class WorkerConcurrencyTest extends IntegrationTest {

    private static final Pattern START = Pattern.compile("Simulator command line: ");

    @Test
    void fiveTasksRunAtMostTwoAtATimeEachExactlyOnce() throws Exception {
        List<Long> ids = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(5);
        try {
            List<Future<Long>> submitted = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                submitted.add(clients.submit(() -> Tasks.submit(api,
                        "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0.3\"}}")));
            }
            for (Future<Long> id : submitted) {
                ids.add(id.get());
            }
        } finally {
            clients.shutdown();
        }

        List<JsonNode> tasks = new ArrayList<>();
        for (long id : ids) {
            tasks.add(Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofSeconds(120)));
        }

        for (JsonNode task : tasks) {
            String log = Files.readString(Path.of(task.path("workspace_path").asText(), "run.log"));
            assertThat(START.matcher(log).results().count()).as("runs of task %s", task.path("id")).isEqualTo(1);
        }
        assertThat(maxOverlap(tasks)).isLessThanOrEqualTo(2);
        assertThat(maxOverlap(tasks)).as("the pool is used").isEqualTo(2);
    }

    /** With both workers busy, the pending task of higher priority gets the first slot that frees, though it came later. */
    @Test
    void aHigherPriorityIsClaimedFirst() {
        String blocker = "{\"loop_n\": 100, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"1\"}}";
        long blockerA = Tasks.submit(api, blocker);
        long blockerB = Tasks.submit(api, blocker);
        Tasks.awaitStatus(api, blockerA, "RUNNING", Duration.ofSeconds(60));
        Tasks.awaitStatus(api, blockerB, "RUNNING", Duration.ofSeconds(60));
        long low = Tasks.submit(api, "{\"priority\": 1, \"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0.5\"}}");
        long high = Tasks.submit(api, "{\"priority\": 5, \"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0.5\"}}");
        assertThat(Tasks.get(api, low).path("status").asText()).isEqualTo("PENDING");
        assertThat(Tasks.get(api, high).path("status").asText()).isEqualTo("PENDING");

        api.post("/api/rdagent/tasks/" + blockerA + "/cancel", "");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> !Tasks.get(api, high).path("status").asText().equals("PENDING"));
        api.post("/api/rdagent/tasks/" + blockerB + "/cancel", "");

        JsonNode first = Tasks.awaitStatus(api, high, "SUCCEEDED", Duration.ofSeconds(90));
        JsonNode second = Tasks.awaitStatus(api, low, "SUCCEEDED", Duration.ofSeconds(90));
        assertThat(OffsetDateTime.parse(first.path("started_at").asText()))
                .as("the higher priority, submitted second, started first")
                .isBefore(OffsetDateTime.parse(second.path("started_at").asText()));
    }

    /** The largest number of tasks whose [started_at, finished_at] intervals hold at one instant. */
    private static int maxOverlap(List<JsonNode> tasks) {
        int max = 0;
        for (JsonNode task : tasks) {
            OffsetDateTime instant = OffsetDateTime.parse(task.path("started_at").asText());
            int running = 0;
            for (JsonNode other : tasks) {
                OffsetDateTime start = OffsetDateTime.parse(other.path("started_at").asText());
                OffsetDateTime end = OffsetDateTime.parse(other.path("finished_at").asText());
                if (!start.isAfter(instant) && end.isAfter(instant)) {
                    running++;
                }
            }
            max = Math.max(max, running);
        }
        return max;
    }
}
