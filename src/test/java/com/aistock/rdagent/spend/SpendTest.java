package com.aistock.rdagent.spend;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.EventStream;
import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.RequiredTools;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * LLM spend of simulated runs against what the simulator wrote, read independently with python3's own pickle:
 * totals per task, loop and model, pricing by LiteLLM or the price table or not at all, budgets, resumes, quotas,
 * and hostile files in the trace folder.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpendTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RUN = Duration.ofSeconds(90);

    /** The records of a trace folder as python3 reads and sums them. */
    private static JsonNode python(Path trace) throws IOException, InterruptedException, URISyntaxException {
        RequiredTools.pythonModules();
        Path script = Path.of(SpendTest.class.getResource("/token_costs.py").toURI());
        Process process = new ProcessBuilder(RequiredTools.PYTHON, script.toString(), trace.toString()).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(new String(process.getErrorStream().readAllBytes())).isZero();
        return JSON.readTree(out);
    }

    private static Path trace(JsonNode task) {
        return Path.of(task.path("workspace_path").asText()).resolve("log");
    }

    private static JsonNode model(JsonNode cost, String model, String pricedBy) {
        for (JsonNode entry : cost.path("by_model")) {
            if (entry.path("model").asText().equals(model) && entry.path("priced_by").asText().equals(pricedBy)) {
                return entry;
            }
        }
        throw new AssertionError("no " + model + " priced by " + pricedBy + " in " + cost);
    }

    private static void assertSame(JsonNode cost, JsonNode expected) {
        assertThat(cost.path("calls").asLong()).isEqualTo(expected.path("calls").asLong());
        assertThat(cost.path("prompt_tokens").asLong()).isEqualTo(expected.path("prompt_tokens").asLong());
        assertThat(cost.path("completion_tokens").asLong()).isEqualTo(expected.path("completion_tokens").asLong());
    }

    @Test
    void aRunsTokensAndCostAreTheSumOfItsRecordsPerLoopAndModel() throws Exception {
        long id = Tasks.submit(api, "{\"loop_n\": 2, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
        JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", RUN);
        JsonNode records = python(trace(task));
        JsonNode cost = task.path("cost");
        assertThat(records.path("total").path("calls").asInt()).as("2 loops, 5 calls each").isEqualTo(10);
        assertSame(cost, records.path("total"));
        // gpt-4o priced by LiteLLM; the coder's gateway model has no price: tokens shown, cost unknown, never 0
        JsonNode gpt = model(cost, "gpt-4o", "litellm");
        assertSame(gpt, records.path("by_model").path("gpt-4o"));
        assertThat(gpt.path("usd").asDouble()).isCloseTo(records.path("by_model").path("gpt-4o").path("usd").asDouble(),
                within(1e-9));
        JsonNode gateway = model(cost, "deepseek-v3-gateway", "unknown");
        assertSame(gateway, records.path("by_model").path("deepseek-v3-gateway"));
        assertThat(gateway.path("usd").isNull()).as(gateway.toString()).isTrue();
        assertThat(cost.path("usd").asDouble()).isCloseTo(records.path("total").path("usd").asDouble(), within(1e-9));
        assertThat(cost.path("complete").asBoolean()).isFalse();
        assertThat(JSON.convertValue(cost.path("priced_by"), List.class)).containsExactly("litellm", "unknown");

        JsonNode loops = api.get("/api/rdagent/tasks/" + id + "/loops").json();
        assertThat(loops).hasSize(2);
        for (JsonNode loop : loops) {
            JsonNode expected = records.path("by_loop").path(loop.path("loop").asText());
            assertSame(loop.path("cost"), expected);
            assertThat(loop.path("cost").path("usd").asDouble()).isCloseTo(expected.path("usd").asDouble(), within(1e-9));
        }
        // the live stream carries it as its own event
        try (EventStream stream = EventStream.open(api, api.request("/api/rdagent/tasks/" + id + "/logs")
                .header("Accept", "text/event-stream").GET().build(), Duration.ofSeconds(30))) {
            String data = null;
            boolean costEvent = false;
            for (String line; data == null && (line = stream.readLine()) != null; ) {
                costEvent = line.startsWith("event:") ? line.equals("event:cost") : costEvent;
                data = costEvent && line.startsWith("data:") ? line.substring(5) : null;
            }
            assertThat(data).as("a cost event").isNotNull();
            assertThat(JSON.readTree(data)).isEqualTo(cost);
        }
        // the list sorts by cost_usd: the row carries the cost too
        JsonNode row = api.get("/api/rdagent/tasks?q=" + id).json().path("items").get(0);
        assertThat(row.path("cost").path("calls").asInt()).isEqualTo(10);

        JsonNode byModel = api.get("/api/rdagent/spend?group_by=model").json();
        assertThat(byModel.path("items").findValuesAsText("key")).contains("gpt-4o", "deepseek-v3-gateway");
        assertThat(byModel.path("cny_rate").asDouble()).isPositive();
        String metrics = api.get("/actuator/prometheus").body();
        assertThat(metrics).containsPattern("rdagent_llm_tokens_total\\{[^}]*kind=\"completion\"[^}]*model=\"deepseek-v3-gateway\"")
                .containsPattern("rdagent_llm_cost_usd_total\\{[^}]*model=\"gpt-4o\"");
    }

    @Test
    void thePriceTablePricesWhatLiteLlmCouldNotAndWhatItOverrides() throws Exception {
        String unpriced = "gateway-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Response bad = api.put("/api/rdagent/spend/prices", "{\"model\": \"m\", \"prompt_per_m\": -1, \"completion_per_m\": 1}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("field").asText()).isEqualTo("prompt_per_m");
        assertThat(api.put("/api/rdagent/spend/prices", "{\"model\": \"m\", \"prompt_per_m\": 1, \"completion_per_m\": 1, \"x\": 1}")
                .json().path("field").asText()).isEqualTo("x");
        assertThat(api.get("/api/rdagent/spend/prices").json().path("items").findValuesAsText("model")).doesNotContain("m");
        Api.Response set = api.put("/api/rdagent/spend/prices", Api.json(Map.of("model", unpriced, "prompt_per_m", 0.5,
                "completion_per_m", 2)));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().path("source").asText()).isEqualTo("api");
        assertThat(api.put("/api/rdagent/spend/prices", Api.json(Map.of("model", "gpt-4o-mini", "prompt_per_m", 1,
                "completion_per_m", 3, "override", true))).status()).isEqualTo(200);

        long id = Tasks.submit(api, "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\", "
                + "\"CHAT_MODEL\": \"gpt-4o-mini\", \"RDAGENT_SIM_CODER_MODEL\": \"" + unpriced + "\"}}");
        JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", RUN);
        JsonNode records = python(trace(task));
        JsonNode cost = task.path("cost");
        JsonNode byTable = model(cost, unpriced, "table");
        JsonNode expected = records.path("by_model").path(unpriced);
        assertThat(expected.path("usd").isNull()).as("LiteLLM had no price").isTrue();
        assertThat(byTable.path("usd").asDouble()).isCloseTo((expected.path("prompt_tokens").asLong() * 0.5
                + expected.path("completion_tokens").asLong() * 2) / 1e6, within(1e-9));
        JsonNode overridden = model(cost, "gpt-4o-mini", "table");
        JsonNode mini = records.path("by_model").path("gpt-4o-mini");
        assertThat(mini.path("usd").asDouble()).as("LiteLLM priced it").isPositive();
        assertThat(overridden.path("usd").asDouble()).isCloseTo((mini.path("prompt_tokens").asLong() * 1.0
                + mini.path("completion_tokens").asLong() * 3) / 1e6, within(1e-9));
        assertThat(cost.path("complete").asBoolean()).isTrue();

        assertThat(api.delete("/api/rdagent/spend/prices?model=" + unpriced).status()).isEqualTo(200);
        assertThat(api.delete("/api/rdagent/spend/prices?model=" + unpriced).status()).isEqualTo(404);
    }

    private static final Pattern STEP = Pattern.compile("Start Loop (\\d+), Step (\\d+)");

    @Test
    void aRunReachingItsBudgetStopsAfterItsStepWithItsResultsKept() throws Exception {
        Api.Response refused = api.post("/api/rdagent/tasks", "{\"max_cost_usd\": 0}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("field").asText()).isEqualTo("max_cost_usd");

        // loop 0 costs $0.0539 in gpt-4o calls (seed 0): the budget is crossed by the first call of loop 1
        long id = Tasks.submit(api, "{\"loop_n\": 4, \"max_cost_usd\": 0.06, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"1\"}}");
        JsonNode task = Tasks.awaitFinished(api, id, RUN);
        assertThat(task.path("status").asText()).as(task.toPrettyString()).isEqualTo("SUCCEEDED");
        assertThat(task.path("stop_reason").asText()).isEqualTo("budget");
        assertThat(task.path("metrics").path("last").path("loop").asInt(-1)).as("loop 0's results are kept").isZero();
        JsonNode summary = JSON.readTree(Path.of(task.path("archive_path").asText()).resolve("summary.json").toFile());
        assertThat(summary.path("stop_reason").asText()).isEqualTo("budget");
        assertThat(summary.path("cost")).isEqualTo(task.path("cost"));
        assertThat(task.path("cost").path("budget").path("warning").asText()).startsWith("budget reached");

        JsonNode records = python(trace(task));
        double spent = 0;
        String crossing = null;
        for (JsonNode record : records.path("records")) {
            spent += record.path("cost").asDouble(0);
            if (spent >= 0.06) {
                crossing = record.path("path").asText();
                break;
            }
        }
        assertThat(crossing).as("the budget was crossed").isNotNull();
        String log = Files.readString(Path.of(task.path("workspace_path").asText()).resolve("run.log"));
        List<int[]> steps = new ArrayList<>();
        Matcher m = STEP.matcher(log);
        while (m.find()) {
            steps.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
        }
        int[] last = steps.get(steps.size() - 1);
        int crossedLoop = Integer.parseInt(crossing.substring(5, crossing.indexOf('/')));
        List<String> names = List.of("direct_exp_gen", "coding", "running", "feedback", "record");
        int crossedStep = names.indexOf(crossing.split("/")[1]);
        assertThat(last[0] * 5 + last[1]).as("the last step started is the crossing one or the next")
                .isBetween(crossedLoop * 5 + crossedStep, crossedLoop * 5 + crossedStep + 1);
    }

    @Test
    void theBudgetWarningIsSentOnceAcrossAResumeAndTheResumedRunStillStopsAtTheBudget(CapturedOutput output) throws Exception {
        // loop 0's first step costs $0.0365 (two gpt-4o calls, seed 0): past 80 % of $0.045; its next priced call,
        // two steps later, passes $0.045. The first attempt is cancelled in between.
        long id = Tasks.submit(api, "{\"loop_n\": 2, \"max_cost_usd\": 0.045, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"2\"}}");
        await().atMost(RUN).pollInterval(Duration.ofMillis(100)).until(() -> Tasks.get(api, id).path("cost")
                .path("budget").path("warning").asText("").startsWith("80 %"));
        api.post("/api/rdagent/tasks/" + id + "/cancel", "");
        JsonNode first = Tasks.awaitStatus(api, id, "CANCELLED", RUN);
        assertThat(first.path("stop_reason").asText()).as("cancelled before the budget").isNotEqualTo("budget");

        assertThat(api.post("/api/rdagent/tasks/" + id + "/resume", "").status()).isEqualTo(200);
        JsonNode resumed = Tasks.awaitFinished(api, id, RUN);
        assertThat(resumed.path("attempt").asInt()).isEqualTo(2);
        assertThat(resumed.path("stop_reason").asText()).as(resumed.toPrettyString()).isEqualTo("budget");
        assertThat(Pattern.compile("Task " + id + ": 80 % of its LLM budget used").matcher(output.getAll()).results().count())
                .as("one warning for the task, not one per attempt").isEqualTo(1);
    }

    @Test
    void aResumedRunContinuesFromTheFirstAttemptsCost() throws Exception {
        long id = Tasks.submit(api, "{\"loop_n\": 3, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0.4\", "
                + "\"RDAGENT_SIM_CODER_MODEL\": \"\"}}");
        await().atMost(RUN).pollInterval(Duration.ofMillis(100))
                .until(() -> Tasks.get(api, id).path("progress").path("loop").asInt(-1) >= 1);
        api.post("/api/rdagent/tasks/" + id + "/cancel", "");
        JsonNode first = Tasks.awaitStatus(api, id, "CANCELLED", RUN);
        JsonNode before = python(trace(first));
        assertSame(first.path("cost"), before.path("total"));
        assertThat(first.path("cost").path("usd").asDouble()).isCloseTo(before.path("total").path("usd").asDouble(),
                within(1e-9));

        assertThat(api.post("/api/rdagent/tasks/" + id + "/resume", "").status()).isEqualTo(200);
        JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", RUN);
        JsonNode after = python(trace(task));
        assertSame(task.path("cost"), after.path("total"));
        assertThat(task.path("cost").path("usd").asDouble())
                .isCloseTo(after.path("total").path("usd").asDouble(), within(1e-9))
                .isGreaterThan(first.path("cost").path("usd").asDouble());
        // RD-Agent's accumulated_cost started again at 0 in the resumed process: it is never what is summed
        String firstPid = after.path("records").get(0).path("pid").asText();
        JsonNode resumed = null;
        for (JsonNode record : after.path("records")) {
            if (!record.path("pid").asText().equals(firstPid)) {
                resumed = record;
                break;
            }
        }
        assertThat(resumed).as("records of the resumed process").isNotNull();
        assertThat(resumed.path("accumulated_cost").asDouble()).isEqualTo(resumed.path("cost").asDouble());
    }

    @Test
    void aSubmissionOverAUsersDailyQuotaIsRefusedAndAnotherUserStillSubmits() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String alice = "alice-" + suffix;
        String bob = "bob-" + suffix;
        for (String user : List.of(alice, bob)) {
            assertThat(api.post("/api/rdagent/users", Api.json(Map.of("username", user, "password",
                    "password-of-" + user, "role", "OPERATOR"))).status()).isEqualTo(201);
        }
        Api aliceApi = Api.as(port, alice, "password-of-" + alice);
        Api bobApi = Api.as(port, bob, "password-of-" + bob);
        assertThat(aliceApi.put("/api/rdagent/spend/quotas", Api.json(Map.of("subject", alice, "daily_usd", 1)))
                .status()).as("only ADMIN sets quotas").isEqualTo(403);

        long spent = Tasks.submit(aliceApi, "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
        Tasks.awaitStatus(api, spent, "SUCCEEDED", RUN);
        Api.Response set = api.put("/api/rdagent/spend/quotas", Api.json(Map.of("subject", alice, "daily_usd", 0.01)));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().path("spent_today").asDouble()).isGreaterThan(0.01);

        Api.Response over = aliceApi.post("/api/rdagent/tasks", "{\"loop_n\": 1}");
        assertThat(over.status()).as(over.body()).isEqualTo(429);
        assertThat(over.json().path("error").asText()).isEqualTo("quota");
        assertThat(over.json().path("message").asText()).contains("daily", alice, "limit $0.01", "spent $", "resets at");
        long total = api.get("/api/rdagent/tasks?q=" + alice).json().path("total").asLong();
        // a batch of alice's tasks, and going on with one of them, spend more too
        long batches = api.get("/api/rdagent/batches").json().path("total").asLong();
        Api.Response batch = aliceApi.post("/api/rdagent/batches", "{\"base\": {\"loop_n\": 1}, \"grid\": {\"loop_n\": [1, 2]}}");
        assertThat(batch.status()).as(batch.body()).isEqualTo(429);
        assertThat(batch.json().path("error").asText()).isEqualTo("quota");
        assertThat(api.get("/api/rdagent/batches").json().path("total").asLong()).isEqualTo(batches);
        jdbc.update("UPDATE rdagent_task SET status = 'CANCELLED' WHERE id = ?", spent);
        Api.Response resumed = api.post("/api/rdagent/tasks/" + spent + "/resume", "");
        assertThat(resumed.status()).as("alice's spend, whoever asks").isEqualTo(429);
        assertThat(resumed.json().path("message").asText()).contains(alice);
        assertThat(Tasks.get(api, spent).path("status").asText()).isEqualTo("CANCELLED");
        Api.Response other = bobApi.post("/api/rdagent/tasks", "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
        assertThat(other.status()).as(other.body()).isEqualTo(201);
        Tasks.awaitFinished(api, other.json().path("id").asLong(), RUN);

        // the installation's limit refuses everyone
        assertThat(api.put("/api/rdagent/spend/quotas", "{\"subject\": \"*\", \"daily_usd\": 0.01}").status()).isEqualTo(200);
        Api.Response everyone = bobApi.post("/api/rdagent/tasks", "{\"loop_n\": 1}");
        assertThat(everyone.status()).isEqualTo(429);
        assertThat(everyone.json().path("message").asText()).contains("the installation");
        assertThat(api.delete("/api/rdagent/spend/quotas?subject=*").status()).isEqualTo(200);
        assertThat(api.get("/api/rdagent/tasks?q=" + alice).json().path("total").asLong()).isEqualTo(total);
    }

    @Test
    void reachingTheInstallationsLimitStopsRunningTasks() throws Exception {
        Path hold = Files.createTempFile(base(), "hold", "");
        // one-second steps: the limit is noticed long before the run could end by itself
        long id = Tasks.submit(api, "{\"loop_n\": 2, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"1\", "
                + "\"RDAGENT_SIM_HOLD_FILE\": \"" + hold + "\"}}");
        Tasks.awaitStatus(api, id, "RUNNING", RUN);
        assertThat(api.put("/api/rdagent/spend/quotas", "{\"subject\": \"*\", \"daily_usd\": 0.001}").status())
                .isEqualTo(200);
        Files.delete(hold);
        JsonNode task = Tasks.awaitFinished(api, id, RUN);
        assertThat(task.path("stop_reason").asText()).as(task.toPrettyString()).isEqualTo("quota");
        assertThat(task.path("status").asText()).as("stopped in loop 0, before any result").isEqualTo("CANCELLED");
        assertThat(task.path("cost").path("calls").asInt()).isBetween(1, 4);
    }

    /** A one-loop run held at its first step, RUNNING in its workspace, until {@code hold} is deleted. */
    private long heldRun(Path hold) {
        long id = Tasks.submit(api, "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\", "
                + "\"RDAGENT_SIM_HOLD_FILE\": \"" + hold + "\"}}");
        await().atMost(RUN).until(() -> !Tasks.get(api, id).path("workspace_path").isMissingNode()
                && Tasks.get(api, id).path("status").asText().equals("RUNNING"));
        return id;
    }

    @Test
    void aCallCountsWhenRdAgentMadeItNotWhenItWasRead() throws Exception {
        Path hold = Files.createTempFile(base(), "hold", "");
        long id = heldRun(hold);
        Path folder = trace(Tasks.get(api, id)).resolve("Loop_0/direct_exp_gen/token_cost/4343");
        Files.createDirectories(folder);
        // named as made before the task existed, and in the future: neither can be when it was made
        RequiredTools.pythonModules();
        for (String name : List.of("2020-01-01_00-00-00-000000.pkl", "2099-01-01_00-00-00-000000.pkl")) {
            Process write = new ProcessBuilder(RequiredTools.PYTHON, "-c", "import pickle, sys\n"
                    + "pickle.dump({'model': 'gpt-4o', 'prompt_tokens': 10, 'completion_tokens': 1, 'cost': 0.001, "
                    + "'accumulated_cost': 0.001}, open(sys.argv[1], 'wb'))", folder.resolve(name).toString()).start();
            assertThat(write.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        Files.delete(hold);
        Tasks.awaitStatus(api, id, "SUCCEEDED", RUN);

        java.time.format.DateTimeFormatter named = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss-SSSSSS'.pkl'");
        java.time.OffsetDateTime created = jdbc.queryForObject("SELECT created_at FROM rdagent_task WHERE id = ?",
                java.time.OffsetDateTime.class, id);
        List<Map<String, Object>> calls = jdbc.queryForList("SELECT path, recorded_at, recorded_at <= now() AS past"
                + " FROM rdagent_llm_call WHERE task_id = ?", id);
        assertThat(calls).hasSize(7);
        for (Map<String, Object> call : calls) {
            String path = (String) call.get("path");
            java.time.OffsetDateTime recorded = ((java.sql.Timestamp) call.get("recorded_at")).toInstant()
                    .atOffset(java.time.ZoneOffset.UTC);
            if (path.endsWith("2020-01-01_00-00-00-000000.pkl")) {
                assertThat(recorded.toInstant()).as("not before the task").isEqualTo(created.toInstant());
            } else if (path.endsWith("2099-01-01_00-00-00-000000.pkl")) {
                assertThat((Boolean) call.get("past")).as("not in the future").isTrue();
            } else {
                String name = Path.of(path).getFileName().toString();
                assertThat(recorded.toInstant()).as(path).isEqualTo(java.time.LocalDateTime.parse(name, named)
                        .toInstant(java.time.ZoneOffset.UTC));
            }
        }
    }

    @Test
    void hostileAndMalformedFilesInTheTraceFolderAreSkippedAndNothingExecutes(CapturedOutput output) throws Exception {
        Path hold = Files.createTempFile(base(), "hold", "");
        long id = heldRun(hold);
        Path trace = trace(Tasks.get(api, id));
        Path folder = trace.resolve("Loop_0/direct_exp_gen/token_cost/4242");
        Files.createDirectories(folder);
        Path marker = base().resolve("executed-" + id);
        RequiredTools.pythonModules();
        Process evil = new ProcessBuilder(RequiredTools.PYTHON, "-c", "import pickle, os, sys\n"
                + "class Evil:\n    def __reduce__(self):\n        return (os.system, ('touch " + marker + "',))\n"
                + "pickle.dump({'model': 'gpt-4o', 'prompt_tokens': 1, 'completion_tokens': 1, 'cost': Evil()}, "
                + "open(sys.argv[1], 'wb'))", folder.resolve("evil.pkl").toString()).start();
        assertThat(evil.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Files.write(folder.resolve("random.pkl"), new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef});
        // seven bytes claiming a 1.6 GB string: the reader must not try to allocate it
        Files.write(folder.resolve("claims.pkl"), new byte[] {(byte) 0x80, 2, 'X', 0, 0, 0, 0x60});
        Files.delete(hold);

        JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", RUN);
        JsonNode records = python(trace);
        assertSame(task.path("cost"), records.path("total"));
        assertThat(records.path("total").path("calls").asInt()).isEqualTo(5);
        assertThat(marker).doesNotExist();
        assertThat(output.getOut()).contains("Task " + id + ": skipped Loop_0/direct_exp_gen/token_cost/4242/evil.pkl")
                .contains("Task " + id + ": skipped Loop_0/direct_exp_gen/token_cost/4242/random.pkl")
                .contains("Task " + id + ": skipped Loop_0/direct_exp_gen/token_cost/4242/claims.pkl");
    }

    @Test
    void spendReportsRefuseBadParameters() {
        Api.Response group = api.get("/api/rdagent/spend?group_by=week");
        assertThat(group.status()).isEqualTo(400);
        assertThat(group.json().path("field").asText()).isEqualTo("group_by");
        Api.Response order = api.get("/api/rdagent/spend?from=2026-02-01&to=2026-01-01");
        assertThat(order.json().path("field").asText()).isEqualTo("from");
        assertThat(api.get("/api/rdagent/spend?from=2020-01-01&to=2026-01-01").json().path("field").asText())
                .isEqualTo("from");
        assertThat(api.get("/api/rdagent/spend?to=tomorrow").json().path("field").asText()).isEqualTo("to");
        JsonNode days = api.get("/api/rdagent/spend?group_by=day&from=2026-01-01&to=2026-01-31").json();
        assertThat(days.path("group_by").asText()).isEqualTo("day");
        assertThat(days.path("items")).isEmpty();
        assertThat(days.path("total").path("usd").isNull()).isTrue();
    }
}
