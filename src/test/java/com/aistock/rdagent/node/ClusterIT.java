package com.aistock.rdagent.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.NodeProcess;
import com.aistock.rdagent.support.ProcessTable;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several scheduler JVMs on one PostgreSQL: no task is lost, none runs twice, a killed node's tasks move on and
 * its orphans die when it returns, a quick restart re-attaches, and a database outage heals itself.
 */
// several JVMs start (each up to minutes on a busy machine) and a hundred runs finish: longer than the suite's default
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class ClusterIT {

    private static final Path ROOT = Path.of("target", "cluster-it").toAbsolutePath();
    private static final List<String> FAST = List.of("--scheduler.node.lease=5s", "--scheduler.run.heartbeat-interval=1s",
            "--scheduler.worker.poll-interval=200ms", "--scheduler.run.second-interrupt-after=1s",
            "--scheduler.run.stop-grace=3s");

    private Path run;
    private Path pgData;
    private int pgPort;
    private EmbeddedPostgres postgres;
    private final List<NodeProcess> nodes = new ArrayList<>();

    @BeforeEach
    void database() throws IOException {
        run = ROOT.resolve(UUID.randomUUID().toString());
        pgData = run.resolve("pg");
        Files.createDirectories(pgData);
        postgres = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).start();
        pgPort = postgres.getPort();
    }

    @AfterEach
    void stopAll() throws Exception {
        NodeProcess.stopAll(nodes);
        postgres.close();
    }

    /** A node with the fast test timings, its own work/ and the shared history/, outbox/ and inbox/. */
    private NodeProcess node(String id, String... settings) throws IOException {
        Map<String, String> all = new java.util.LinkedHashMap<>();
        for (String setting : FAST) {
            all.put(setting.substring(0, setting.indexOf('=')), setting);
        }
        for (String setting : settings) {
            all.put(setting.substring(0, setting.indexOf('=')), setting);
        }
        all.put("history", "--scheduler.history-dir=" + run.resolve("shared/history"));
        all.put("outbox", "--scheduler.outbox-dir=" + run.resolve("shared/outbox"));
        all.put("inbox", "--scheduler.inbox-dir=" + run.resolve("shared/inbox"));
        NodeProcess node = new NodeProcess(id, run.resolve(id), "jdbc:postgresql://localhost:" + pgPort + "/postgres",
                new ArrayList<>(all.values()));
        nodes.add(node);
        return node;
    }

    @Test
    void twoWorkersRunAHundredTasksEachExactlyOnce() throws Exception {
        NodeProcess a = node("node-a", "--scheduler.worker.max-concurrent-runs=2").start();
        NodeProcess b = node("node-b", "--scheduler.worker.max-concurrent-runs=2").start();

        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Api api = i % 2 == 0 ? a.api() : b.api();
            ids.add(Tasks.submit(api, "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}"));
        }
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                .until(() -> a.api().get("/api/rdagent/tasks?status=SUCCEEDED&size=200").json().path("total").asLong() == 100);

        Map<String, Integer> perNode = new HashMap<>();
        for (Map<String, Object> attempt : query("SELECT task_id, node, count(*) OVER (PARTITION BY task_id) AS runs FROM rdagent_task_attempt")) {
            assertThat(((Number) attempt.get("runs")).intValue()).as("attempts of task %s", attempt.get("task_id")).isEqualTo(1);
            perNode.merge((String) attempt.get("node"), 1, Integer::sum);
        }
        assertThat(perNode.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
        assertThat(perNode).containsKeys("node-a", "node-b");
        assertThat(perNode.values()).allMatch(n -> n >= 10);
        for (long id : ids) {
            JsonNode task = Tasks.get(a.api(), id);
            String log = Files.readString(Path.of(task.path("workspace_path").asText(), "run.log"));
            assertThat(Pattern.compile("Simulator command line").matcher(log).results().count()).isEqualTo(1);
        }
        JsonNode listed = a.api().get("/api/rdagent/nodes").json();
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).path("alive").asBoolean()).isTrue();
        assertThat(listed.get(0).path("roles").toString()).contains("worker");
    }

    @Test
    void aKilledNodesTasksMoveOnOnlyOnceTheirRunsAreGone() throws Exception {
        NodeProcess a = node("node-a", "--scheduler.worker.max-concurrent-runs=2").start();
        // runs that outlast node-b's start on a busy machine; attempt 2 is cancelled once it runs
        List<Long> ids = List.of(
                Tasks.submit(a.api(), endlessTask(2)),
                Tasks.submit(a.api(), endlessTask(2)));
        Map<Long, Long> firstPids = new HashMap<>();
        for (long id : ids) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !Tasks.get(a.api(), id).path("pid").isNull());
            firstPids.put(id, Tasks.get(a.api(), id).path("pid").asLong());
        }
        NodeProcess b = node("node-b", "--scheduler.worker.max-concurrent-runs=2").start();
        GroupWatch watch = new GroupWatch(firstPids);

        a.kill();
        for (long pid : firstPids.values()) {
            assertThat(ProcessTable.alive(pid)).as("RD-Agent outlives its killed scheduler").isTrue();
        }
        // lease 5 s, then node-b (same host) stops attempt 1's group before it queues attempt 2 and takes it
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() ->
                ids.stream().allMatch(id -> "node-b".equals(Tasks.get(b.api(), id).path("node").asText())));
        for (long id : ids) {
            JsonNode task = Tasks.get(b.api(), id);
            assertThat(task.path("attempt").asInt()).isEqualTo(2);
            assertThat(task.path("error").asText()).startsWith("node lost");
            assertThat(query("SELECT outcome FROM rdagent_task_attempt WHERE task_id = " + id + " AND attempt = 1"))
                    .extracting(row -> row.get("outcome")).containsExactly("stopped by lease sweep");
        }
        assertThat(count("SELECT count(*) FROM rdagent_task_attempt first JOIN rdagent_task_attempt second "
                + "ON second.task_id = first.task_id AND second.attempt = 2 WHERE first.attempt = 1 "
                + "AND (first.finished_at IS NULL OR second.started_at < first.finished_at)"))
                .as("attempts 2 recorded before their attempt 1 ended").isZero();
        for (long id : ids) {
            await().atMost(Duration.ofSeconds(60)).until(() -> Tasks.get(b.api(), id).path("progress").path("loop").asInt(-1) >= 0);
            b.api().post("/api/rdagent/tasks/" + id + "/cancel", "");
            Tasks.awaitStatus(b.api(), id, "CANCELLED", Duration.ofSeconds(60));
        }
        watch.stop();
        assertThat(watch.overlaps()).as("moments when attempt 1 still ran alongside attempt 2").isEmpty();

        a.start(); // nothing of attempt 1 is left to kill, and its attempts are closed already
        assertThat(Files.readString(a.base().resolve("node.log"))).doesNotContain("was taken over while this node was away");
    }

    @Test
    void aRunOnAnotherHostIsTakenOverOnlyAfterItStoppedItself() throws Exception {
        NodeProcess a = node("node-a", "--scheduler.node.fence-after=8s", "--scheduler.node.fence-margin=2s").start();
        long id = Tasks.submit(a.api(), endlessTask(2));
        await().atMost(Duration.ofSeconds(60)).until(() -> !Tasks.get(a.api(), id).path("pid").isNull());
        long firstPid = Tasks.get(a.api(), id).path("pid").asLong();
        // as if node-a ran on another machine: node-b can neither check nor stop that process
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM rdagent_task_attempt WHERE task_id = " + id) == 1);
        update("UPDATE rdagent_task_attempt SET pid_space = 'another-host' WHERE task_id = " + id);
        NodeProcess b = node("node-b", "--scheduler.node.fence-after=8s", "--scheduler.node.fence-margin=2s").start();
        GroupWatch watch = new GroupWatch(Map.of(id, firstPid));

        a.kill();
        // its lease file no longer renewed, the launcher stops the run after fence-after (8 s); node-b waits
        // fence-after + heartbeat + stop path + margin (8 + 1 + 1 + 3 + 2 s) of silence before it takes the task
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> "node-b".equals(Tasks.get(b.api(), id).path("node").asText()));
        await().atMost(Duration.ofSeconds(60)).until(() -> Tasks.get(b.api(), id).path("progress").path("loop").asInt(-1) >= 0);
        b.api().post("/api/rdagent/tasks/" + id + "/cancel", "");
        JsonNode task = Tasks.awaitStatus(b.api(), id, "CANCELLED", Duration.ofSeconds(60));
        watch.stop();

        assertThat(task.path("attempt").asInt()).isEqualTo(2);
        assertThat(task.path("node").asText()).isEqualTo("node-b");
        assertThat(watch.overlaps()).as("moments when attempt 1 still ran alongside attempt 2").isEmpty();
        Path firstWorkspace = a.base().resolve("work/tasks/" + id);
        assertThat(Files.readString(firstWorkspace.resolve("run.log"))).contains("lease not renewed for 8 s: stopping the run");
        assertThat(Files.readString(firstWorkspace.resolve("exit.json"))).contains("\"fenced\": true");

        a.start(); // its attempt is on another host's record: nothing here is killed for it
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM rdagent_task_attempt "
                + "WHERE task_id = " + id + " AND attempt = 1 AND finished_at IS NOT NULL") == 1);
    }

    @Test
    void aRunWhoseNodeCannotReachTheDatabaseForFenceAfterStopsAndIsRequeued() throws Exception {
        NodeProcess a = node("node-a", "--scheduler.node.fence-after=6s").start();
        long id = Tasks.submit(a.api(), "{\"loop_n\": 4, \"max_attempts\": 2, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"1\"}}");
        await().atMost(Duration.ofSeconds(60)).until(() -> Tasks.get(a.api(), id).path("progress").path("loop").asInt(-1) >= 0);
        Path log = Path.of(Tasks.get(a.api(), id).path("workspace_path").asText(), "run.log");

        postgres.close();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> Files.readString(log).contains("lease not renewed for 6 s: stopping the run"));
        postgres = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).setPort(pgPort).start();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> a.api().get("/api/rdagent/tasks?size=1").status() == 200);

        JsonNode task = Tasks.awaitFinished(a.api(), id, Duration.ofSeconds(180));
        assertThat(task.path("status").asText()).as(task.toPrettyString()).isEqualTo("SUCCEEDED");
        assertThat(task.path("attempt").asInt()).as("the fenced attempt was re-queued").isEqualTo(2);
        assertThat(query("SELECT outcome FROM rdagent_task_attempt WHERE task_id = " + id + " ORDER BY attempt"))
                .extracting(row -> row.get("outcome")).containsExactly("fenced", "SUCCEEDED");
    }

    @Test
    void aQuickRestartReattachesTheRunningTask() throws Exception {
        NodeProcess a = node("node-a", "--scheduler.node.lease=60s", "--scheduler.node.fence-after=10m").start();
        // held in its first step until the restarted node has re-attached it
        Path hold = Files.createFile(run.resolve("hold"));
        long id = Tasks.submit(a.api(), "{\"loop_n\": 3, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\", "
                + "\"RDAGENT_SIM_HOLD_FILE\": \"" + hold + "\"}}");
        await().atMost(Duration.ofSeconds(60)).until(() -> Tasks.get(a.api(), id).path("progress").path("loop").asInt(-1) >= 0);
        long pid = Tasks.get(a.api(), id).path("pid").asLong();

        a.kill();
        assertThat(ProcessTable.alive(pid)).isTrue();
        a.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> a.log().contains("Re-attaching task " + id));
        Files.delete(hold);

        JsonNode task = Tasks.awaitFinished(a.api(), id, Duration.ofSeconds(90));
        assertThat(task.path("status").asText()).as(task.toPrettyString()).isEqualTo("SUCCEEDED");
        assertThat(task.path("attempt").asInt()).isEqualTo(1);
        assertThat(task.path("exit_code").isInt()).as("the real exit code, from the launcher").isTrue();
        assertThat(task.path("exit_code").asInt()).isZero();
        assertThat(task.path("pid").asLong()).isEqualTo(pid);
        String log = Files.readString(Path.of(task.path("workspace_path").asText(), "run.log"));
        assertThat(Pattern.compile("Simulator command line").matcher(log).results().count()).isEqualTo(1);
        assertThat(log).contains("Start Loop 2, Step 4: record").contains("Simulator finished: 3 loops");
    }

    @Test
    void aDatabaseOutageDuringARunHealsItself() throws Exception {
        NodeProcess a = node("node-a").start();
        long id = Tasks.submit(a.api(), "{\"loop_n\": 2, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"1\"}}");
        await().atMost(Duration.ofSeconds(60)).until(() -> !Tasks.get(a.api(), id).path("pid").isNull());
        JsonNode running = Tasks.get(a.api(), id);
        Path log = Path.of(running.path("workspace_path").asText(), "run.log");

        postgres.close();
        List<Integer> answers = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> answers.add(a.api().get("/api/rdagent/tasks").status()) && answers.contains(503));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> Files.readString(log).contains("Simulator finished"));
        postgres = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).setPort(pgPort).start();

        JsonNode task = Tasks.awaitFinished(a.api(), id, Duration.ofSeconds(90));
        assertThat(task.path("status").asText()).as(task.toPrettyString()).isEqualTo("SUCCEEDED");
        assertThat(answers).contains(503).doesNotContain(500);
        assertThat(Files.readString(Path.of(task.path("archive_path").asText(), "run.log"))).contains("Simulator finished: 2 loops");
    }

    /** Runs far longer than any test waits for it: each is cancelled once the test has seen what it needs. */
    private static String endlessTask(int maxAttempts) {
        return "{\"loop_n\": 100, \"max_attempts\": " + maxAttempts + ", \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"1\"}}";
    }

    /**
     * Polls /proc every 50 ms: for each task, the group of its attempt 1 and those of its later attempts (from
     * their attempt rows); an overlap is a moment when two attempts of one task both had live processes.
     */
    private final class GroupWatch {
        private final Map<Long, Long> first;
        private final List<String> overlaps = new CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile boolean running = true;

        GroupWatch(Map<Long, Long> first) {
            this.first = Map.copyOf(first);
            this.thread = new Thread(this::watch, "group-watch");
            thread.setDaemon(true);
            thread.start();
        }

        private void watch() {
            while (running) {
                try {
                    for (Map<String, Object> later : query("SELECT task_id, pid FROM rdagent_task_attempt WHERE attempt > 1")) {
                        Long old = first.get(((Number) later.get("task_id")).longValue());
                        long pid = ((Number) later.get("pid")).longValue();
                        if (old != null && !ProcessTable.groupMembers(old).isEmpty()
                                && !ProcessTable.groupMembers(pid).isEmpty()) {
                            overlaps.add("task " + later.get("task_id") + ": groups " + old + " and " + pid);
                        }
                    }
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception databaseAway) {
                    // the database restarts in some tests: look again
                }
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(10_000);
        }

        List<String> overlaps() {
            return overlaps;
        }
    }

    private void update(String sql) throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    private long count(String sql) throws Exception {
        return ((Number) query(sql).get(0).values().iterator().next()).longValue();
    }

    private List<Map<String, Object>> query(String sql) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
