package com.aistock.rdagent.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.aistock.rdagent.support.DockerEngine;
import com.aistock.rdagent.support.NodeProcess;
import com.aistock.rdagent.support.ProcessTable;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * RD-Agent's docker mode against the machine's Docker engine: the simulator runs a long container with its
 * workspace mounted, which it leaves behind when it is interrupted or killed, like RD-Agent's qrun containers
 * (children of dockerd, not of the run). Once a run's group is gone the scheduler removes them, and only them.
 */
class DockerModeIT {

    private static final Path ROOT = Path.of("target", "docker-it").toAbsolutePath();
    private static final String DOCKER_TASK = "{\"loop_n\": 100, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"1\", "
            + "\"RDAGENT_SIM_DOCKER\": \"1\"%s}}";

    private final List<Long> groups = new ArrayList<>();
    private Path base;
    private NodeProcess node;

    @BeforeEach
    void engine() throws Exception {
        DockerEngine.assumeReady();
        base = ROOT.resolve(UUID.randomUUID().toString());
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (node != null) {
            node.stop();
        }
        for (long pgid : groups) {
            if (!ProcessTable.groupMembers(pgid).isEmpty()) {
                new ProcessBuilder("kill", "-KILL", "--", "-" + pgid).start().waitFor();
            }
        }
        DockerEngine.removeMounting(base);
        Path postmaster = base.resolve("data/pg/postmaster.pid");
        if (Files.exists(postmaster)) {
            new ProcessBuilder("kill", "-QUIT", Files.readAllLines(postmaster).get(0).strip()).start().waitFor();
        }
    }

    @Test
    void noContainerOfAStoppedRunIsLeftAndOtherTasksKeepTheirs() throws Exception {
        node = new NodeProcess(null, base, null, List.of("--scheduler.worker.max-concurrent-runs=3",
                "--scheduler.worker.poll-interval=200ms", "--scheduler.run.heartbeat-interval=1s",
                "--scheduler.run.second-interrupt-after=1s", "--scheduler.run.stop-grace=3s")).start();
        // a grandchild that ignores SIGINT keeps this run alive past the grace: it ends with SIGKILL
        long cancelled = Tasks.submit(node.api(), DOCKER_TASK.formatted(", \"RDAGENT_SIM_SPAWN_CHILD\": \"1\""));
        long other = Tasks.submit(node.api(), DOCKER_TASK.formatted(""));
        long crashed = Tasks.submit(node.api(), DOCKER_TASK.formatted(""));
        String otherContainer = awaitContainer(other);
        awaitContainer(cancelled);
        awaitContainer(crashed);

        assertThat(node.api().post("/api/rdagent/tasks/" + cancelled + "/cancel", "").status()).isEqualTo(200);
        Tasks.awaitStatus(node.api(), cancelled, "CANCELLED", Duration.ofSeconds(90));
        assertThat(Files.readString(base.resolve("node.log"))).contains("exited with 137");
        assertThat(DockerEngine.containersMounting(workspace(cancelled))).as("containers of the cancelled task").isEmpty();
        assertThat(DockerEngine.running(otherContainer)).as("the other task's container").isTrue();

        // the node dies; while it is down, so does one run (all of its group), leaving its container
        long crashedGroup = Tasks.get(node.api(), crashed).path("pid").asLong();
        node.kill();
        new ProcessBuilder("kill", "-KILL", "--", "-" + crashedGroup).start().waitFor();
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessTable.groupMembers(crashedGroup).isEmpty());
        assertThat(DockerEngine.containersMounting(workspace(crashed))).hasSize(1);
        node.restartAfterKill();

        JsonNode lost = Tasks.awaitFinished(node.api(), crashed, Duration.ofSeconds(60));
        assertThat(lost.path("status").asText()).isEqualTo("FAILED");
        assertThat(lost.path("error").asText()).startsWith("scheduler restarted");
        assertThat(DockerEngine.containersMounting(workspace(crashed))).as("containers of the crashed run").isEmpty();
        assertThat(Tasks.get(node.api(), other).path("status").asText()).as("re-attached").isEqualTo("RUNNING");
        assertThat(DockerEngine.running(otherContainer)).as("the re-attached task's container").isTrue();

        assertThat(node.api().post("/api/rdagent/tasks/" + other + "/cancel", "").status()).isEqualTo(200);
        Tasks.awaitStatus(node.api(), other, "CANCELLED", Duration.ofSeconds(90));
        assertThat(DockerEngine.containersMounting(workspace(other))).isEmpty();
    }

    /** The run's one container, once the simulator has started it; its group is noted for the clean-up. */
    private String awaitContainer(long id) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> DockerEngine.containersMounting(workspace(id)).size() == 1
                        && !Tasks.get(node.api(), id).path("pid").isNull());
        groups.add(Tasks.get(node.api(), id).path("pid").asLong());
        try {
            return DockerEngine.containersMounting(workspace(id)).get(0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Path workspace(long id) {
        return base.resolve("work/tasks/" + id);
    }
}
