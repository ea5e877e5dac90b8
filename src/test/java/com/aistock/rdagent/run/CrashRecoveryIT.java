package com.aistock.rdagent.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.aistock.rdagent.support.NodeProcess;
import com.aistock.rdagent.support.ProcessTable;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar on its embedded PostgreSQL, killed with SIGKILL while it runs tasks and started again: the
 * runs are picked up (or, when they ended meanwhile, finished) exactly once, with their real exit codes, archives
 * and complete loop tables, and nothing of their process groups is left.
 */
class CrashRecoveryIT {

    private static final Path ROOT = Path.of("target", "crash-it").toAbsolutePath();
    private static final Pattern STEP = Pattern.compile("Start Loop (\\d+), Step (\\d+): ");
    /** fence-after well above a restart on a loaded machine: the runs must not stop themselves meanwhile */
    private static final List<String> SETTINGS = List.of("--scheduler.worker.max-concurrent-runs=2",
            "--scheduler.worker.poll-interval=200ms", "--scheduler.run.heartbeat-interval=1s",
            "--scheduler.run.second-interrupt-after=1s", "--scheduler.run.stop-grace=3s",
            "--scheduler.node.fence-after=10m");

    /** process group → its leader's start time, to kill what a failed test leaves (and nothing else) */
    private final Map<Long, Long> groups = new HashMap<>();
    private NodeProcess node;
    private Path base;

    @AfterEach
    void cleanUp() throws Exception {
        if (node != null) {
            node.stop();
        }
        groups.forEach((pgid, started) -> ProcessGroups.killRemaining(pgid, started, Duration.ofSeconds(30)));
        if (base != null) {
            NodeProcess.stopLeftOverPostgres(base);
        }
    }

    @Test
    void aKilledNodeRestartedOnAnotherPortFinishesItsRunsOnceWithTheirExitCodes() throws Exception {
        node = node();
        String nodeId = node.api().get("/api/rdagent/system").json().path("node").asText();
        // held in their first step until the restarted node has re-attached them
        Path hold = Files.createFile(base.resolve("hold"));
        String held = "{\"loop_n\": 3, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\", \"RDAGENT_SIM_HOLD_FILE\": \"" + hold + "\"}}";
        List<Long> ids = List.of(Tasks.submit(node.api(), held), Tasks.submit(node.api(), held));
        Map<Long, Long> pids = awaitRunning(ids);

        node.kill();
        assertThat(pids.values()).allMatch(ProcessTable::alive);
        Duration restart = node.onAnotherPort().restartAfterKill();
        System.out.printf("restart-to-ready after kill -9 (2 runs, embedded PostgreSQL): %.1f s%n", restart.toMillis() / 1000.0);
        await().atMost(Duration.ofMinutes(1)).until(() -> {
            String log = node.log();
            return ids.stream().allMatch(id -> log.contains("Re-attaching task " + id));
        });
        Files.delete(hold);

        assertThat(node.api().get("/api/rdagent/system").json().path("node").asText()).as("same node").isEqualTo(nodeId);
        for (long id : ids) {
            JsonNode task = Tasks.awaitFinished(node.api(), id, Duration.ofMinutes(5));
            assertThat(task.path("status").asText()).as(task.toPrettyString()).isEqualTo("SUCCEEDED");
            assertThat(task.path("exit_code").isInt()).as("a real exit code").isTrue();
            assertThat(task.path("exit_code").asInt()).isZero();
            assertThat(task.path("attempt").asInt()).isEqualTo(1);
            assertThat(task.path("pid").asLong()).isEqualTo(pids.get(id));
            assertWrittenOnce(Path.of(task.path("workspace_path").asText()));
            assertThat(ProcessTable.groupMembers(pids.get(id))).as("processes of the run's group").isEmpty();
        }
    }

    @Test
    void runsThatEndWhileTheNodeIsDownAreFinishedLikeAnyOtherOnRestart() throws Exception {
        node = node();
        List<Long> ids = List.of(Tasks.submit(node.api(), task(3, 1)), Tasks.submit(node.api(), task(3, 1)));
        Map<Long, Long> pids = awaitRunning(ids);
        Map<Long, Path> workspaces = new HashMap<>();
        for (long id : ids) {
            workspaces.put(id, Path.of(Tasks.get(node.api(), id).path("workspace_path").asText()));
        }

        node.kill();
        for (Path workspace : workspaces.values()) {
            await().atMost(Duration.ofMinutes(3)).until(() -> Files.exists(workspace.resolve("exit.json")));
        }
        node.restartAfterKill();

        for (long id : ids) {
            JsonNode task = Tasks.awaitFinished(node.api(), id, Duration.ofMinutes(3));
            assertThat(task.path("status").asText()).as(task.toPrettyString()).isEqualTo("SUCCEEDED");
            assertThat(task.path("exit_code").isInt()).isTrue();
            assertThat(task.path("exit_code").asInt()).isZero();
            // three loops' experiments and RD-Agent's baseline, which loop 0 runs first
            assertThat(task.path("metrics").path("experiments").asInt()).isEqualTo(4);
            JsonNode summary = new ObjectMapper().readTree(Path.of(task.path("archive_path").asText(), "summary.json").toFile());
            assertThat(summary.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(summary.path("exit_code").asInt()).isZero();
            JsonNode loops = node.api().get("/api/rdagent/tasks/" + id + "/loops").json();
            assertThat(loops).as("one row per loop").hasSize(3);
            for (JsonNode loop : loops) {
                assertThat(loop.path("started_at").isTextual()).as("loop %s rebuilt", loop.path("loop")).isTrue();
            }
            // the simulator's first loop always runs cleanly; a later one may fail or predict NaN, as RD-Agent's do
            assertThat(loops.get(0).path("metrics").path("IC").isNumber()).as("metrics of loop 0").isTrue();
            assertWrittenOnce(workspaces.get(id));
            assertThat(ProcessTable.groupMembers(pids.get(id))).isEmpty();
        }
    }

    private NodeProcess node() throws IOException {
        base = ROOT.resolve(UUID.randomUUID().toString());
        return new NodeProcess(null, base, null, SETTINGS).start();
    }

    private Map<Long, Long> awaitRunning(List<Long> ids) {
        Map<Long, Long> pids = new HashMap<>();
        for (long id : ids) {
            await().atMost(Duration.ofMinutes(2)).until(() -> Tasks.get(node.api(), id).path("progress").path("loop").asInt(-1) >= 0);
            pids.put(id, Tasks.get(node.api(), id).path("pid").asLong());
            groups.put(pids.get(id), ProcessStart.of(pids.get(id)).orElse(0));
        }
        return pids;
    }

    /** No step ran twice: one RD-Agent wrote this workspace, from its first step to its last. */
    private static void assertWrittenOnce(Path workspace) throws IOException {
        String log = Files.readString(workspace.resolve("run.log"));
        assertThat(Pattern.compile("Simulator command line").matcher(log).results().count()).isEqualTo(1);
        List<String> steps = new ArrayList<>();
        Matcher step = STEP.matcher(log);
        while (step.find()) {
            steps.add(step.group(1) + ":" + step.group(2));
        }
        assertThat(steps).doesNotHaveDuplicates().hasSize(15);
    }

    private static String task(int loops, int stepSeconds) {
        return "{\"loop_n\": " + loops + ", \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"" + stepSeconds + "\"}}";
    }
}
