package com.aistock.rdagent.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.NodeProcess;
import com.aistock.rdagent.support.ProcessTable;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded PostgreSQL is the service's own: the first start after {@code kill -9} of the JVM succeeds although
 * the postmaster outlived it, a stale pid file whose pid another program now has is no obstacle, and a postmaster
 * killed under a running task is restarted without anyone's help, the task's outcome written.
 */
// three starts of the packaged jar on its own PostgreSQL (each up to minutes on a busy machine): longer than the
// suite's default
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class EmbeddedDatabaseIT {

    private static final Path ROOT = Path.of("target", "embedded-database-it").toAbsolutePath();
    private static final List<String> FAST = List.of("--scheduler.worker.max-concurrent-runs=2",
            "--scheduler.worker.poll-interval=200ms", "--scheduler.run.heartbeat-interval=1s",
            "--scheduler.run.second-interrupt-after=1s", "--scheduler.run.stop-grace=3s");

    private final List<NodeProcess> nodes = new ArrayList<>();
    private final List<Process> strangers = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        NodeProcess.stopAll(nodes);
        strangers.forEach(Process::destroyForcibly);
    }

    private NodeProcess node() throws IOException {
        NodeProcess node = NodeProcess.embedded("node-a", ROOT.resolve(UUID.randomUUID().toString()), FAST);
        nodes.add(node);
        return node;
    }

    @Test
    void theFirstStartAfterKill9SucceedsAndAStalePidFileIsNoObstacle() throws Exception {
        NodeProcess node = node();
        System.out.printf("first start (initdb included): %d ms%n", start(node));
        List<Long> ids = List.of(
                Tasks.submit(node.api(), "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"2\"}}"),
                Tasks.submit(node.api(), "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"2\"}}"));
        for (long id : ids) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !Tasks.get(node.api(), id).path("pid").isNull());
        }
        Path pidFile = node.base().resolve("data/pg/postmaster.pid");
        List<String> pidFileLines = Files.readAllLines(pidFile);
        long orphan = node.postmasterPid().orElseThrow();

        node.kill();
        assertThat(ProcessTable.alive(orphan)).as("the postmaster outlives the killed JVM").isTrue();
        // the start fails if this JVM exits (PostgreSQL refusing to start), as it did before
        System.out.printf("restart to ready after kill -9 (postmaster left running): %d ms%n", start(node));
        assertThat(ProcessTable.alive(orphan)).as("the left-over postmaster was stopped").isFalse();
        assertThat(node.postmasterPid().orElseThrow()).isNotEqualTo(orphan);
        assertThat(node.log()).contains("left running on").doesNotContain("Gave up waiting for server to start");
        for (long id : ids) {
            Tasks.awaitFinished(node.api(), id, Duration.ofSeconds(90));
        }

        // after a reboot a pid file may name a pid that another program has since: PostgreSQL would refuse to start
        node.stop();
        assertThat(pidFile).as("a normal stop removes it").doesNotExist();
        Process stranger = new ProcessBuilder("sleep", "600").start();
        strangers.add(stranger);
        pidFileLines.set(0, Long.toString(stranger.pid()));
        Files.write(pidFile, pidFileLines);
        System.out.printf("restart to ready after a normal stop (stale pid file): %d ms%n", start(node));
        assertThat(stranger.isAlive()).as("another program's process is left alone").isTrue();
        assertThat(node.postmasterPid().orElseThrow()).isNotEqualTo(stranger.pid());
        assertThat(node.log()).contains("Removing the stale postmaster.pid");
    }

    @Test
    void aKilledPostmasterIsRestartedAndTheRunsOutcomeWritten() throws Exception {
        NodeProcess node = node().start();
        Api api = node.api();
        long id = Tasks.submit(api, "{\"loop_n\": 2, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"1\"}}");
        await().atMost(Duration.ofSeconds(60)).until(() -> !Tasks.get(api, id).path("pid").isNull());
        long postmaster = node.postmasterPid().orElseThrow();

        ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();
        long killed = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> node.postmasterPid().orElse(postmaster) != postmaster
                        && api.get("/api/rdagent/tasks/" + id).status() == 200);
        System.out.printf("embedded PostgreSQL killed -> API answers again: %d ms%n",
                Duration.ofNanos(System.nanoTime() - killed).toMillis());
        Api.Response liveness = Api.anonymous(port(api)).get("/actuator/health/liveness");
        assertThat(liveness.status()).as(liveness.body()).isEqualTo(200);
        // the inbox works again too: a task file dropped now becomes a task
        Files.writeString(node.base().resolve("inbox/after-restart.task.json"),
                "{\"name\": \"inbox after restart\", \"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> api.get("/api/rdagent/tasks?q=inbox%20after%20restart").json().path("items").size() == 1);

        JsonNode task = Tasks.awaitFinished(api, id, Duration.ofSeconds(120));
        assertThat(task.path("status").asText()).as(task.toPrettyString()).isEqualTo("SUCCEEDED");
        assertThat(task.path("exit_code").asInt()).isZero();
        assertThat(Path.of(task.path("archive_path").asText(), "summary.json")).exists();
        assertThat(node.log()).contains("Embedded PostgreSQL (pid " + postmaster + ") is gone")
                .contains("Embedded PostgreSQL restarted");
    }

    /** Starts the node; milliseconds from the start to the API's first answer. */
    private static long start(NodeProcess node) throws IOException {
        long spawned = System.nanoTime();
        node.start();
        return Duration.ofNanos(System.nanoTime() - spawned).toMillis();
    }

    private static int port(Api api) {
        return api.uri("/").getPort();
    }
}
