package com.aistock.rdagent.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /** task id → its run's process group */
    private final Map<Long, Long> groups = new HashMap<>();
    /** process group → its leader's start time, to kill what a failed test leaves (and nothing else) */
    private final Map<Long, Long> leaders = new HashMap<>();
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
        leaders.forEach((pgid, started) -> ProcessGroups.killRemaining(pgid, started, Duration.ofSeconds(30)));
        DockerEngine.removeMounting(base);
        NodeProcess.stopLeftOverPostgres(base);
    }

    @Test
    void noContainerOfAStoppedRunIsLeftAndOtherTasksKeepTheirs() throws Exception {
        node = new NodeProcess(null, base, null, List.of("--scheduler.worker.max-concurrent-runs=3",
                "--scheduler.worker.poll-interval=200ms", "--scheduler.run.heartbeat-interval=1s",
                "--scheduler.run.second-interrupt-after=1s", "--scheduler.run.stop-grace=3s",
                "--scheduler.node.fence-after=10m")).start();
        // a grandchild that ignores SIGINT outlives RD-Agent's own exit on the second SIGINT: it needs SIGKILL
        long cancelled = Tasks.submit(node.api(), DOCKER_TASK.formatted(", \"RDAGENT_SIM_SPAWN_CHILD\": \"1\""));
        long other = Tasks.submit(node.api(), DOCKER_TASK.formatted(""));
        long crashed = Tasks.submit(node.api(), DOCKER_TASK.formatted(""));
        String otherContainer = awaitContainer(other);
        awaitContainer(cancelled);
        awaitContainer(crashed);

        assertThat(node.api().post("/api/rdagent/tasks/" + cancelled + "/cancel", "").status()).isEqualTo(200);
        Tasks.awaitStatus(node.api(), cancelled, "CANCELLED", Duration.ofSeconds(90));
        assertThat(ProcessTable.groupMembers(groupOf(cancelled))).as("the grandchild, among others").isEmpty();
        assertThat(DockerEngine.containersMounting(workspace(cancelled))).as("containers of the cancelled task").isEmpty();
        assertThat(Files.readString(base.resolve("node.log")))
                .contains("Removed 1 Docker container(s) left by the run in " + workspace(cancelled));
        assertThat(DockerEngine.running(otherContainer)).as("the other task's container").isTrue();

        // the node dies; while it is down, so does one run (all of its group), leaving its container
        long crashedGroup = groupOf(crashed);
        node.kill();
        ProcessGroups.killRemaining(crashedGroup, leaders.get(crashedGroup), Duration.ofSeconds(30));
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
    private String awaitContainer(long id) throws Exception {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> DockerEngine.containersMounting(workspace(id)).size() == 1
                        && !Tasks.get(node.api(), id).path("pid").isNull());
        long pgid = Tasks.get(node.api(), id).path("pid").asLong();
        groups.put(id, pgid);
        leaders.put(pgid, ProcessStart.of(pgid).orElse(0));
        return DockerEngine.containersMounting(workspace(id)).get(0);
    }

    private long groupOf(long id) {
        return groups.get(id);
    }

    private Path workspace(long id) {
        return base.resolve("work/tasks/" + id);
    }
}
