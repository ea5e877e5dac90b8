package com.aistock.rdagent.task;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.ProcessTable;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A task from POST to outbox, against real PostgreSQL and the real simulator process. */
class TaskPipelineTest extends IntegrationTest {

    private static final Duration RUN = Duration.ofSeconds(90);

    @Test
    void taskRunsRdAgentAndIsArchivedWithMetricsAndMaskedConfig() throws IOException {
        long id = Tasks.submit(api, """
                {"name": "沪深300 动量", "loop_n": 2, "all_duration": "1h",
                 "env": {"RDAGENT_SIM_STEP_SECONDS": "0"}}""");

        JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", RUN);

        assertThat(task.path("exit_code").asInt()).isZero();
        // the demo's second loop may give a NaN IC, as research does; the backtest is always there
        assertThat(task.path("metrics").path("last").path("values").path("annualized_return").isNumber()).isTrue();
        assertThat(task.path("metrics").path("last").path("loop").asInt()).isEqualTo(1);
        assertThat(task.path("config_hash").asText()).hasSize(64);
        assertThat(task.path("config")).hasSize(5);
        // the list passes its jsonb columns through as PostgreSQL's text: the same JSON as the task itself
        JsonNode listed = api.get("/api/rdagent/tasks?size=200&q=" + id).json().path("items").findParents("id").stream()
                .filter(item -> item.path("id").asLong() == id).findFirst().orElseThrow();
        for (String field : List.of("params", "progress", "metrics", "config", "warnings", "created_at", "finished_at")) {
            assertThat(listed.path(field)).as(field).isEqualTo(task.path(field));
        }

        Path workspace = Path.of(task.path("workspace_path").asText());
        String runLog = Files.readString(workspace.resolve("run.log"));
        assertThat(runLog)
                .contains("Simulator command line: rdagent fin_quant --loop-n 2 --all-duration 1h\n")
                .contains("Working directory: " + workspace + "\n")
                .contains("LOG_TRACE_PATH=" + workspace.resolve("log") + "\n")
                .contains("WORKSPACE_PATH=" + workspace.resolve("ws") + "\n")
                .doesNotContain("--trace");
        assertThat(Files.getPosixFilePermissions(workspace.resolve(".env")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(workspace.resolve("config/manifest.json")).exists();

        Path archive = Path.of(task.path("archive_path").asText());
        assertThat(archive.getParent().getParent()).isEqualTo(base().resolve("outbox"));
        assertThat(archive.getFileName().toString()).isEqualTo(id + "_沪深300_动量");
        assertThat(archive.resolve("run.log")).hasSameTextualContentAs(workspace.resolve("run.log"));
        JsonNode summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(archive.resolve("summary.json").toFile());
        assertThat(summary.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(summary.path("metrics")).isEqualTo(task.path("metrics"));
        try (Stream<Path> results = Files.list(archive.resolve("results"))) {
            List<Path> csv = results.filter(p -> p.toString().endsWith("_qlib_res.csv")).toList();
            assertThat(csv).hasSize(task.path("metrics").path("experiments").asInt()).isNotEmpty();
            assertThat(Files.readAllLines(csv.get(0)).get(0)).isEqualTo(",0");
        }
        String maskedEnv = Files.readString(archive.resolve("config/.env"));
        assertThat(maskedEnv).contains("OPENAI_API_KEY=******").doesNotContain("sk-demo-not-a-real-key");
        try (Stream<Path> config = Files.list(archive.resolve("config"))) {
            assertThat(config.map(p -> p.getFileName().toString()))
                    .contains("conf_baseline.yaml", "conf_sota_factors_model.yaml", "manifest.json");
        }
    }

    /** evolving_mode, knowledge_base, the six dates and step_n, as RD-Agent's process sees them (the simulator prints them). */
    @Test
    void theTasksSettingsReachTheProcess() throws IOException {
        long id = Tasks.submit(api, """
                {"loop_n": 1, "step_n": 2, "evolving_mode": "llm", "knowledge_base": true,
                 "train_start": "2016-01-04", "train_end": "2017-06-30", "valid_start": "2017-07-03",
                 "valid_end": "2018-06-29", "test_start": "2018-07-02", "test_end": "2019-12-31",
                 "env": {"RDAGENT_SIM_STEP_SECONDS": "0"}}""");

        JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", RUN);

        String dates = "train=2016-01-04..2017-06-30 valid=2017-07-03..2018-06-29 test=2018-07-02..2019-12-31";
        assertThat(Files.readString(Path.of(task.path("workspace_path").asText(), "run.log")))
                .contains("Simulator command line: rdagent fin_quant --loop-n 1 --step-n 2\n")
                .contains("QLIB_FACTOR_settings: " + dates + "\n")
                .contains("QLIB_MODEL_settings: " + dates + "\n")
                .contains("QLIB_QUANT_settings: action_selection=llm knowledge_base=<unset> knowledge_base_path="
                        + base().resolve("data/knowledge_base") + " " + dates + "\n");
        assertThat(task.path("stop_reason").asText()).as("--step-n 2: three steps, then RD-Agent stops").isEqualTo("step_count");
    }

    @Test
    void failureCarriesTheTracebackTail() {
        long id = Tasks.submit(api, """
                {"loop_n": 3, "env": {"RDAGENT_SIM_STEP_SECONDS": "0", "RDAGENT_SIM_FAIL_AT": "1:coding"}}""");

        JsonNode task = Tasks.awaitStatus(api, id, "FAILED", RUN);

        assertThat(task.path("exit_code").asInt()).isEqualTo(1);
        assertThat(task.path("error").asText())
                .contains("Traceback (most recent call last)")
                .contains("Failed to create chat completion after 10 retries.");
    }

    @Test
    void exitZeroWithoutResultsIsAFailure() {
        long id = Tasks.submit(api, """
                {"loop_n": 1, "env": {"RDAGENT_SIM_STEP_SECONDS": "0", "RDAGENT_SIM_NO_RESULTS": "1"}}""");

        JsonNode task = Tasks.awaitStatus(api, id, "FAILED", RUN);

        assertThat(task.path("exit_code").asInt()).isZero();
        assertThat(task.path("error").asText()).startsWith("no results");
        assertThat(task.path("metrics").isNull()).isTrue();
    }

    @Test
    void rdAgentTimerStopIsRecorded() {
        long id = Tasks.submit(api, """
                {"all_duration": "3", "env": {"RDAGENT_SIM_STEP_SECONDS": "0.5"}}""");

        JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", RUN);

        assertThat(task.path("stop_reason").asText()).isEqualTo("timer");
    }

    @Test
    void cancellingARunningTaskKillsItsWholeProcessGroup() throws IOException {
        long id = Tasks.submit(api, """
                {"loop_n": 100, "env": {"RDAGENT_SIM_STEP_SECONDS": "1", "RDAGENT_SIM_SPAWN_CHILD": "1"}}""");
        long child = awaitSpawnedChild(id);
        long pgid = Tasks.get(api, id).path("pid").asLong();
        assertThat(ProcessTable.groupMembers(pgid)).contains(pgid, child);

        Api.Response cancel = api.post("/api/rdagent/tasks/" + id + "/cancel", "");
        assertThat(cancel.status()).isEqualTo(200);
        assertThat(cancel.json().path("cancel_requested").asBoolean()).isTrue();

        JsonNode task = Tasks.awaitStatus(api, id, "CANCELLED", Duration.ofSeconds(40));
        assertThat(task.path("stop_reason").asText()).isEqualTo("cancelled");
        assertThat(ProcessTable.groupMembers(pgid)).isEmpty();
        assertThat(ProcessTable.alive(child)).isFalse();
        assertThat(Path.of(task.path("archive_path").asText()).resolve("run.log")).exists();

        assertThat(api.post("/api/rdagent/tasks/" + id + "/cancel", "").status())
                .as("cancel is idempotent").isEqualTo(200);
    }

    @Test
    void theHardTimeoutStopsTheRunAndItsChildren() throws IOException {
        long id = Tasks.submit(api, """
                {"loop_n": 100, "timeout": "3s",
                 "env": {"RDAGENT_SIM_STEP_SECONDS": "1", "RDAGENT_SIM_SPAWN_CHILD": "1"}}""");
        long child = awaitSpawnedChild(id);
        long pgid = Tasks.get(api, id).path("pid").asLong();

        JsonNode task = Tasks.awaitStatus(api, id, "TIMED_OUT", Duration.ofSeconds(40));

        assertThat(task.path("stop_reason").asText()).isEqualTo("timeout");
        assertThat(ProcessTable.groupMembers(pgid)).isEmpty();
        assertThat(ProcessTable.alive(child)).isFalse();
    }

    @Test
    void aPendingTaskIsCancelledAtOnceAndNeverStarts() {
        long first = Tasks.submit(api, blocker());
        long second = Tasks.submit(api, blocker());
        Tasks.awaitStatus(api, first, "RUNNING", RUN);
        Tasks.awaitStatus(api, second, "RUNNING", RUN);
        long pending = Tasks.submit(api, "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
        assertThat(Tasks.get(api, pending).path("status").asText()).isEqualTo("PENDING");

        Api.Response cancel = api.post("/api/rdagent/tasks/" + pending + "/cancel", "");

        assertThat(cancel.status()).isEqualTo(200);
        assertThat(cancel.json().path("status").asText()).isEqualTo("CANCELLED");
        api.post("/api/rdagent/tasks/" + first + "/cancel", "");
        api.post("/api/rdagent/tasks/" + second + "/cancel", "");
        Tasks.awaitStatus(api, first, "CANCELLED", Duration.ofSeconds(40));
        Tasks.awaitStatus(api, second, "CANCELLED", Duration.ofSeconds(40));
        JsonNode never = Tasks.get(api, pending);
        assertThat(never.path("status").asText()).isEqualTo("CANCELLED");
        assertThat(never.path("started_at").isNull()).isTrue();
        assertThat(never.path("pid").isNull()).isTrue();
        assertThat(base().resolve("work/tasks/" + pending)).doesNotExist();
    }

    @Test
    void cancelAnswersNotFoundAndConflict() {
        assertThat(api.post("/api/rdagent/tasks/999999999/cancel", "").json().path("error").asText())
                .isEqualTo("not_found");
        long id = Tasks.submit(api, "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
        Tasks.awaitStatus(api, id, "SUCCEEDED", RUN);

        Api.Response late = api.post("/api/rdagent/tasks/" + id + "/cancel", "");

        assertThat(late.status()).isEqualTo(409);
        assertThat(late.json().path("error").asText()).isEqualTo("conflict");
    }

    static String blocker() {
        return "{\"loop_n\": 100, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"1\"}}";
    }

    private long awaitSpawnedChild(long id) {
        Pattern spawned = Pattern.compile("Spawned child pid=(\\d+)");
        String[] pid = new String[1];
        await().atMost(RUN).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode task = Tasks.get(api, id);
            if (task.path("workspace_path").isNull() || task.path("pid").isNull()) {
                return false;
            }
            Path log = Path.of(task.path("workspace_path").asText(), "run.log");
            if (!Files.exists(log)) {
                return false;
            }
            Matcher matcher = spawned.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (matcher.find()) {
                pid[0] = matcher.group(1);
                return true;
            }
            return false;
        });
        return Long.parseLong(pid[0]);
    }
}
