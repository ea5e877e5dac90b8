package com.aistock.rdagent.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;

import com.aistock.rdagent.dataset.Datasets;
import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Batches: a grid made into tasks, paused, resumed, limited and cancelled as one; and clone-and-edit. */
class BatchApiTest extends IntegrationTest {

    private static final Duration RUN = Duration.ofSeconds(60);
    private Path hold;
    @Autowired
    private DataSource dataSource;

    @BeforeEach
    void holdRuns() throws IOException {
        hold = Files.createTempFile(base(), "hold", "");
    }

    @AfterEach
    void release() throws IOException {
        Files.deleteIfExists(hold);
    }

    /** A base task whose runs wait at the end of their first step while {@link #hold} exists. */
    private String heldBase() {
        return "{\"name\": \"grid\", \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\", \"RDAGENT_SIM_HOLD_FILE\": \""
                + hold + "\"}}";
    }

    private JsonNode create(String body) {
        Api.Response response = api.post("/api/rdagent/batches", body);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    private List<Map<String, Object>> tasksOf(JsonNode batch) {
        return jdbc.queryForList("SELECT id, status, params::text AS params FROM rdagent_task WHERE batch_id = ? ORDER BY id",
                UUID.fromString(batch.path("id").asText()));
    }

    private long count(JsonNode batch, String status) {
        return tasksOf(batch).stream().filter(task -> task.get("status").equals(status)).count();
    }

    private static void expectError(Api.Response response, int status, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        if (field != null) {
            assertThat(response.json().path("field").asText()).as(response.body()).isEqualTo(field);
        }
    }

    @Test
    void aTwoByThreeGridIsSixTasksWithEachCombination() throws IOException {
        JsonNode batch = create("{\"name\": \"模型对比\", \"max_concurrent\": 1, \"base\": " + heldBase()
                + ", \"grid\": {\"loop_n\": [1, 2], \"env\": {\"CHAT_MODEL\": [\"gpt-4o\", \"deepseek-chat\", \"qwen-max\"]}}}");

        assertThat(batch.path("name").asText()).isEqualTo("模型对比");
        assertThat(batch.path("state").asText()).isEqualTo("active");
        assertThat(batch.path("max_concurrent").asInt()).isEqualTo(1);
        assertThat(batch.path("grid").path("loop_n")).hasSize(2);
        List<Map<String, Object>> tasks = tasksOf(batch);
        assertThat(tasks).hasSize(6);
        Set<String> combinations = new HashSet<>();
        for (Map<String, Object> row : tasks) {
            JsonNode task = Tasks.get(api, ((Number) row.get("id")).longValue());
            assertThat(task.path("batch_id").asText()).isEqualTo(batch.path("id").asText());
            assertThat(task.path("name").asText()).isEqualTo("grid");
            JsonNode params = task.path("params");
            assertThat(params.path("env").path("RDAGENT_SIM_HOLD_FILE").asText()).as("the base's env is kept").isEqualTo(hold.toString());
            combinations.add(params.path("loop_n").asInt() + "/" + params.path("env").path("CHAT_MODEL").asText());
        }
        assertThat(combinations).containsExactlyInAnyOrder("1/gpt-4o", "1/deepseek-chat", "1/qwen-max",
                "2/gpt-4o", "2/deepseek-chat", "2/qwen-max");
        JsonNode listed = api.get("/api/rdagent/batches?size=200").json();
        assertThat(listed.path("items").findValuesAsText("id")).contains(batch.path("id").asText());
        JsonNode got = api.get("/api/rdagent/batches/" + batch.path("id").asText()).json();
        int counted = 0;
        for (JsonNode n : got.path("counts")) {
            counted += n.asInt();
        }
        assertThat(counted).as(got.toString()).isEqualTo(6);
    }

    @Test
    void theLimitHoldsAndAPausedBatchStartsNothingUntilResumed() throws IOException {
        JsonNode batch = create("{\"max_concurrent\": 1, \"base\": " + heldBase() + ", \"grid\": {\"loop_n\": [1, 2, 3]}}");
        String id = batch.path("id").asText();

        await().atMost(RUN).until(() -> count(batch, "RUNNING") == 1);
        // the service runs two at once; the batch's own limit keeps it to one
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> count(batch, "RUNNING") == 1 && count(batch, "PENDING") == 2);

        assertThat(api.post("/api/rdagent/batches/" + id + "/pause", "").json().path("state").asText()).isEqualTo("paused");
        assertThat(api.post("/api/rdagent/batches/" + id + "/pause", "").status()).as("idempotent").isEqualTo(200);
        Files.delete(hold);
        await().atMost(RUN).until(() -> count(batch, "SUCCEEDED") == 1);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> count(batch, "PENDING") == 2 && count(batch, "RUNNING") == 0);

        JsonNode limited = api.post("/api/rdagent/batches/" + id + "/limit", "{\"max_concurrent\": 2}").json();
        assertThat(limited.path("max_concurrent").asInt()).isEqualTo(2);
        assertThat(count(batch, "PENDING")).as("still paused").isEqualTo(2);
        assertThat(api.post("/api/rdagent/batches/" + id + "/resume", "").json().path("state").asText()).isEqualTo("active");
        await().atMost(RUN).until(() -> count(batch, "SUCCEEDED") == 3);
    }

    @Test
    void twoClaimsOfTheSameInstantNeverStartMoreThanTheBatchAllows() throws Exception {
        // tasks of a batch limited to one, started from CANCELLED (so this service's worker never claims them) by
        // two connections, as two nodes' claims of the same instant would start them
        UUID batch = UUID.randomUUID();
        jdbc.update("INSERT INTO rdagent_batch (id, name, max_concurrent) VALUES (?, 'race', 1)", batch);
        long first = endedTask(batch);
        long second = endedTask(batch);
        try {
            try (Connection one = dataSource.getConnection(); Connection other = dataSource.getConnection()) {
                one.setAutoCommit(false);
                assertThat(start(one, first)).isEqualTo(1);
                int otherPid = other.unwrap(PGConnection.class).getBackendPID();
                CompletableFuture<Integer> racing = CompletableFuture.supplyAsync(() -> start(other, second));
                // the second start waits for the first claim of its batch to end, then counts it
                await().atMost(RUN).until(() -> racing.isDone() || "Lock".equals(jdbc.queryForObject(
                        "SELECT wait_event_type FROM pg_stat_activity WHERE pid = ?", String.class, otherPid)));
                one.commit();
                assertThat(racing.get(RUN.toSeconds(), TimeUnit.SECONDS)).as("the batch is full").isZero();
            }
            assertThat(statusOf(second)).isEqualTo("CANCELLED");

            jdbc.update("UPDATE rdagent_batch SET max_concurrent = 2 WHERE id = ?", batch);
            assertThat(jdbc.update("UPDATE rdagent_task SET status = 'RUNNING' WHERE id = ?", second)).as("a free slot")
                    .isEqualTo(1);
            jdbc.update("UPDATE rdagent_task SET status = 'CANCELLED' WHERE batch_id = ?", batch);
            jdbc.update("UPDATE rdagent_batch SET state = 'paused' WHERE id = ?", batch);
            assertThat(jdbc.update("UPDATE rdagent_task SET status = 'RUNNING' WHERE id = ?", first)).as("paused").isZero();
        } finally {
            jdbc.update("UPDATE rdagent_task SET status = 'CANCELLED' WHERE batch_id = ?", batch);
        }
    }

    private long endedTask(UUID batch) {
        return jdbc.queryForObject("""
                INSERT INTO rdagent_task (name, scenario, status, origin, batch_id, params, config_hash, config_manifest,
                                          finished_at)
                VALUES ('race', 'fin_quant', 'CANCELLED', 'api', ?, '{}', repeat('0', 64), '{}', now())
                RETURNING id""", Long.class, batch);
    }

    private static int start(Connection connection, long task) {
        try (PreparedStatement update = connection.prepareStatement("UPDATE rdagent_task SET status = 'RUNNING' WHERE id = ?")) {
            update.setLong(1, task);
            return update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String statusOf(long task) {
        return jdbc.queryForObject("SELECT status FROM rdagent_task WHERE id = ?", String.class, task);
    }

    @Test
    void cancelStopsTheRunningTasksAndCancelsThePendingOnes() {
        JsonNode batch = create("{\"base\": " + heldBase() + ", \"grid\": {\"loop_n\": [1, 2, 3]}}");
        String id = batch.path("id").asText();
        await().atMost(RUN).until(() -> count(batch, "RUNNING") == 2);

        JsonNode cancelled = api.post("/api/rdagent/batches/" + id + "/cancel", "").json();

        assertThat(cancelled.path("state").asText()).isEqualTo("cancelled");
        assertThat(count(batch, "PENDING")).as("the pending one is cancelled at once").isZero();
        await().atMost(RUN).until(() -> count(batch, "CANCELLED") == 3);
        assertThat(jdbc.queryForList("SELECT stop_reason FROM rdagent_task WHERE batch_id = ?", String.class,
                UUID.fromString(id))).containsOnly("cancelled");
        expectError(api.post("/api/rdagent/batches/" + id + "/resume", ""), 409, null);
        long one = ((Number) tasksOf(batch).get(0).get("id")).longValue();
        Api.Response resumed = api.post("/api/rdagent/tasks/" + one + "/resume", "");
        expectError(resumed, 409, null);
        assertThat(resumed.json().path("message").asText()).contains("cancelled batch");
        assertThat(api.post("/api/rdagent/batches/" + id + "/cancel", "").status()).as("idempotent").isEqualTo(200);
    }

    @Test
    void aGridOfMoreThan200TasksOrWithOneBadTaskStoresNothing() {
        long batches = jdbc.queryForObject("SELECT count(*) FROM rdagent_batch", Long.class);
        long tasks = jdbc.queryForObject("SELECT count(*) FROM rdagent_task", Long.class);
        String values = IntStream.rangeClosed(1, 15).mapToObj(Integer::toString).collect(Collectors.joining(","));

        expectError(api.post("/api/rdagent/batches", "{\"grid\": {\"loop_n\": [" + values + "], \"model\": ["
                + IntStream.rangeClosed(1, 14).mapToObj(n -> "{\"n_epochs\": " + n + "}").collect(Collectors.joining(","))
                + "]}}"), 400, "grid");
        expectError(api.post("/api/rdagent/batches", "{\"grid\": {\"loop_n\": [1, 2, 5000]}}"), 400, "loop_n");
        expectError(api.post("/api/rdagent/batches", "{\"grid\": {\"windows\": [{\"train_start\": \"2020-01-01\"}, "
                + "{\"train_start\": \"2020-02-01\", \"train_end\": \"2020-01-01\"}]}}"), 400, "train_end");
        expectError(api.post("/api/rdagent/batches", "{\"grid\": {\"dataset_ids\": [999999]}}"), 400, "dataset_ids");
        expectError(api.post("/api/rdagent/batches", "{\"grid\": {\"source_history_ids\": [[999999]]}}"), 400, null);
        expectError(api.post("/api/rdagent/batches", "{\"grid\": {\"colour\": [1]}}"), 400, "grid.colour");
        expectError(api.post("/api/rdagent/batches", "{\"grid\": {\"loop_n\": []}}"), 400, "grid.loop_n");
        expectError(api.post("/api/rdagent/batches", "{\"grid\": {\"model\": [{\"lr\": 1}]}}"), 400, "grid.model");
        expectError(api.post("/api/rdagent/batches", "{\"grid\": {}}"), 400, "grid");
        expectError(api.post("/api/rdagent/batches", "{\"grid\": {\"loop_n\": [1]}, \"max_concurrent\": 0}"), 400, "max_concurrent");
        expectError(api.post("/api/rdagent/batches", "{\"grid\": {\"loop_n\": [1]}, \"base\": {\"cloned_from\": 1}}"), 400, "base.cloned_from");

        assertThat(jdbc.queryForObject("SELECT count(*) FROM rdagent_batch", Long.class)).isEqualTo(batches);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM rdagent_task", Long.class)).isEqualTo(tasks);
        expectError(api.get("/api/rdagent/batches/not-a-uuid"), 400, "id");
        expectError(api.get("/api/rdagent/batches/" + UUID.randomUUID()), 404, null);
    }

    @Test
    void aViewerReadsBatchesButCannotCreateOrChangeThem() {
        JsonNode batch = create("{\"base\": " + heldBase() + ", \"grid\": {\"loop_n\": [1]}}");
        String name = "viewer" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(api.post("/api/rdagent/users", "{\"username\": \"" + name + "\", \"password\": \"password-" + name
                + "\", \"role\": \"VIEWER\"}").status()).isEqualTo(201);
        Api viewer = Api.as(port, name, "password-" + name);

        expectError(viewer.post("/api/rdagent/batches", "{\"grid\": {\"loop_n\": [1]}}"), 403, null);
        for (String action : List.of("pause", "resume", "cancel", "limit")) {
            expectError(viewer.post("/api/rdagent/batches/" + batch.path("id").asText() + "/" + action, "{}"), 403, null);
        }
        assertThat(viewer.get("/api/rdagent/batches/" + batch.path("id").asText()).status()).isEqualTo(200);
        assertThat(viewer.get("/api/rdagent/batches").status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM rdagent_audit WHERE path = ? AND status = 201",
                Long.class, "/api/rdagent/batches")).as("audited").isPositive();
    }

    @Test
    void aDatasetFanOutIsABatch() {
        long one = Datasets.create(api, "fan one", "SH600000\n").path("id").asLong();
        long two = Datasets.create(api, "fan two", "SZ000001\n").path("id").asLong();
        Api.Response response = api.post("/api/rdagent/tasks", "{\"name\": \"fan\", \"dataset_ids\": [" + one + ", " + two
                + "], \"env\": {\"RDAGENT_SIM_HOLD_FILE\": \"" + hold + "\"}}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);

        JsonNode batch = api.get("/api/rdagent/batches/" + response.json().path("batch_id").asText()).json();

        assertThat(batch.path("name").asText()).isEqualTo("fan");
        assertThat(batch.path("grid").path("dataset_ids").toString()).isEqualTo("[" + one + "," + two + "]");
        assertThat(api.post("/api/rdagent/batches/" + batch.path("id").asText() + "/cancel", "").status()).isEqualTo(200);
        assertThat(count(batch, "PENDING")).as("nothing left pending").isZero();
    }

    @Test
    void aCloneRecordsItsSourceAndARerunStaysAnExactCopy() {
        long source = Tasks.submit(api, "{\"name\": \"source\", \"loop_n\": 1, \"env\": {\"RDAGENT_SIM_HOLD_FILE\": \"" + hold + "\"}}");

        Api.Response cloned = api.post("/api/rdagent/tasks", "{\"name\": \"source, 2 loops\", \"loop_n\": 2, \"cloned_from\": "
                + source + ", \"env\": {\"RDAGENT_SIM_HOLD_FILE\": \"" + hold + "\"}}");

        assertThat(cloned.status()).as(cloned.body()).isEqualTo(201);
        assertThat(cloned.json().path("cloned_from").asLong()).isEqualTo(source);
        assertThat(cloned.json().path("params").has("cloned_from")).as("not a run parameter").isFalse();
        assertThat(Tasks.get(api, source).path("cloned_from").isNull()).isTrue();
        Api.Response rerun = api.post("/api/rdagent/tasks/" + cloned.json().path("id").asLong() + "/rerun", "");
        assertThat(rerun.json().path("params")).isEqualTo(cloned.json().path("params"));
        assertThat(rerun.json().path("cloned_from").isNull()).isTrue();
        long tasks = jdbc.queryForObject("SELECT count(*) FROM rdagent_task", Long.class);
        expectError(api.post("/api/rdagent/tasks", "{\"cloned_from\": 999999999}"), 400, "cloned_from");
        expectError(api.post("/api/rdagent/tasks", "{\"cloned_from\": \"x\"}"), 400, "cloned_from");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM rdagent_task", Long.class)).isEqualTo(tasks);
    }
}
