package com.aistock.rdagent.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.NodeProcess;
import com.aistock.rdagent.support.ProcessTable;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM (what {@code systemctl stop} sends) with two runs: both are stopped the way a cancel stops them, archived
 * and finished (CANCELLED with stop reason {@code shutdown}, or SUCCEEDED had they ended with results), and the JVM is
 * gone within {@code stop-grace} + 15 s, on the embedded database as on an external one; a run stopped so resumes.
 */
// two starts of the packaged jar (each up to minutes on a busy machine) and a resumed run: longer than the suite's
// default
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class GracefulStopIT {

    private static final Path ROOT = Path.of("target", "graceful-stop-it").toAbsolutePath();
    private static final Duration STOP_GRACE = Duration.ofSeconds(3);
    private static final List<String> SETTINGS = List.of("--scheduler.worker.max-concurrent-runs=2",
            "--scheduler.worker.poll-interval=200ms", "--scheduler.run.heartbeat-interval=1s",
            "--scheduler.run.second-interrupt-after=1s", "--scheduler.run.stop-grace=" + STOP_GRACE.toSeconds() + "s");
    /** Long enough to be stopped in the middle, short enough to finish when resumed. */
    private static final String RUN = "{\"loop_n\": 3, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"2\"}}";

    private final List<NodeProcess> nodes = new ArrayList<>();
    private EmbeddedPostgres external;

    @AfterEach
    void stopAll() throws Exception {
        NodeProcess.stopAll(nodes);
        if (external != null) {
            external.close();
        }
    }

    @Test
    void onTheEmbeddedDatabaseRunsAreStoppedArchivedAndFinishedBeforeItStops() throws Exception {
        NodeProcess node = NodeProcess.embedded("node-a", ROOT.resolve(UUID.randomUUID().toString()), SETTINGS);
        nodes.add(node);
        node.start();
        List<Long> ids = runTwo(node.api());
        long postmaster = node.postmasterPid().orElseThrow();
        Map<Long, Long> pids = pids(node.api(), ids);

        sigterm(node, "embedded");
        assertThat(ProcessTable.alive(postmaster)).as("PostgreSQL stopped with the service").isFalse();
        assertThat(node.base().resolve("data/pg/postmaster.pid")).doesNotExist();
        assertGroupsGone(pids);

        node.start();
        for (long id : ids) {
            JsonNode task = Tasks.get(node.api(), id);
            assertStoppedAndArchived(task.path("status").asText(), task.path("stop_reason").asText(null),
                    task.path("exit_code").isNull() ? null : task.path("exit_code").asInt(), task.path("archive_path").asText(null));
        }
        // stopped by a shutdown, not failed: it resumes from RD-Agent's checkpoint
        long stopped = ids.stream().filter(id -> Tasks.get(node.api(), id).path("status").asText().equals("CANCELLED"))
                .findFirst().orElseThrow();
        Api.Response resumed = node.api().post("/api/rdagent/tasks/" + stopped + "/resume", "");
        assertThat(resumed.status()).as(resumed.body()).isBetween(200, 201);
        JsonNode task = Tasks.awaitFinished(node.api(), stopped, Duration.ofSeconds(120));
        assertThat(task.path("status").asText()).as(task.toPrettyString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void onAnExternalDatabaseTheSame() throws Exception {
        Path run = ROOT.resolve(UUID.randomUUID().toString());
        Files.createDirectories(run.resolve("pg"));
        external = EmbeddedPostgres.builder().setDataDirectory(run.resolve("pg")).setCleanDataDirectory(false).start();
        NodeProcess node = new NodeProcess("node-a", run.resolve("node-a"),
                "jdbc:postgresql://localhost:" + external.getPort() + "/postgres", SETTINGS);
        nodes.add(node);
        node.start();
        List<Long> ids = runTwo(node.api());
        Map<Long, Long> pids = pids(node.api(), ids);

        sigterm(node, "external");
        assertGroupsGone(pids);
        for (long id : ids) {
            Map<String, Object> row = task(id);
            assertStoppedAndArchived((String) row.get("status"), (String) row.get("stop_reason"),
                    (Integer) row.get("exit_code"), (String) row.get("archive_path"));
        }
    }

    /** Two runs, each past its first step (so RD-Agent has a checkpoint), neither near its end. */
    private static List<Long> runTwo(Api api) {
        List<Long> ids = List.of(Tasks.submit(api, RUN), Tasks.submit(api, RUN));
        for (long id : ids) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Tasks.get(api, id).path("progress").path("step").asInt(0) >= 1
                            || Tasks.get(api, id).path("progress").path("loop").asInt(0) >= 1);
        }
        return ids;
    }

    private static Map<Long, Long> pids(Api api, List<Long> ids) {
        Map<Long, Long> pids = new HashMap<>();
        for (long id : ids) {
            pids.put(id, Tasks.get(api, id).path("pid").asLong());
        }
        return pids;
    }

    private static void sigterm(NodeProcess node, String database) throws InterruptedException {
        Duration bound = STOP_GRACE.plusSeconds(15);
        long sent = System.nanoTime();
        node.process().destroy();
        assertThat(node.process().waitFor(bound.toMillis(), TimeUnit.MILLISECONDS))
                .as("the JVM is gone within stop-grace + 15 s").isTrue();
        System.out.printf("SIGTERM with 2 runs (%s database) -> JVM gone: %d ms%n", database,
                Duration.ofNanos(System.nanoTime() - sent).toMillis());
    }

    private static void assertGroupsGone(Map<Long, Long> pids) throws IOException {
        for (long pid : pids.values()) {
            assertThat(ProcessTable.groupMembers(pid)).as("run group %s", pid).isEmpty();
        }
    }

    private static void assertStoppedAndArchived(String status, String stopReason, Integer exitCode, String archive)
            throws IOException {
        assertThat(status).isIn("CANCELLED", "SUCCEEDED");
        if (status.equals("CANCELLED")) {
            assertThat(stopReason).isEqualTo("shutdown");
        }
        assertThat(exitCode).as("the run's own exit code").isNotNull();
        assertThat(archive).isNotNull();
        assertThat(Files.readString(Path.of(archive, "summary.json"))).contains("\"status\" : \"" + status + "\"");
    }

    private Map<String, Object> task(long id) throws Exception {
        try (Connection connection = external.getPostgresDatabase().getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT status, stop_reason, exit_code, archive_path FROM rdagent_task WHERE id = ?")) {
            statement.setLong(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                assertThat(rs.next()).as("task %s", id).isTrue();
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                return row;
            }
        }
    }
}
