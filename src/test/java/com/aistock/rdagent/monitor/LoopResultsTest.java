package com.aistock.rdagent.monitor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.aistock.rdagent.config.RdAgentFiles;
import com.aistock.rdagent.dataset.Datasets;
import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each loop's results as RD-Agent writes them, against real runs of the simulator: sota, best and last, live
 * while the run goes on, each loop in detail with its code, feedback and curve, the archive named by loop, NaN
 * results, and a demo whose numbers follow what the task changes.
 */
class LoopResultsTest extends IntegrationTest {

    private static final Duration RUN = Duration.ofSeconds(120);
    private static final String ANNUAL = "1day.excess_return_with_cost.annualized_return";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Debian's python3, which has pandas: the simulator writes ret.pkl and the service converts it. */
    private static final String PANDAS = "\"PATH\": \"/usr/bin:/bin\"";

    @Test
    void aRejectedLoopWithTheBestBacktestIsNeverSotaOrBest() {
        // on this pool with seed 225: loops 0 and 1 accepted, the rejected loop 3 has the best return of all
        long pool = Datasets.knownPool(api);
        long id = Tasks.submit(api, "{\"name\": \"rejected-best\", \"loop_n\": 4, \"dataset_ids\": [" + pool + "],"
                + " \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\", \"RDAGENT_SIM_SEED\": \"225\", " + PANDAS + "}}");
        JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", RUN);
        JsonNode metrics = task.path("metrics");
        List<JsonNode> loops = list(api.get("/api/rdagent/tasks/" + id + "/loops").json());
        assertThat(loops).hasSize(4);

        JsonNode topBacktest = loops.stream().filter(l -> l.path("metrics").path(ANNUAL).isNumber())
                .max((a, b) -> Double.compare(a.path("metrics").path(ANNUAL).asDouble(), b.path("metrics").path(ANNUAL).asDouble()))
                .orElseThrow();
        assertThat(topBacktest.path("decision").asBoolean(true)).as("the seed gives a rejected loop the best backtest: %s", loops)
                .isFalse();
        JsonNode best = metrics.path("best");
        JsonNode sota = metrics.path("sota");
        assertThat(best.path("decision").asBoolean()).isTrue();
        assertThat(sota.path("decision").asBoolean()).isTrue();
        assertThat(best.path("loop").asInt()).isNotEqualTo(topBacktest.path("loop").asInt());
        assertThat(sota.path("loop").asInt()).isNotEqualTo(topBacktest.path("loop").asInt());
        assertThat(best.path("values").path("annualized_return").asDouble())
                .isLessThan(topBacktest.path("metrics").path(ANNUAL).asDouble());
        int lastAccepted = loops.stream().filter(l -> l.path("decision").asBoolean()).mapToInt(l -> l.path("loop").asInt())
                .max().orElseThrow();
        assertThat(sota.path("loop").asInt()).as("SOTA is the last accepted loop").isEqualTo(lastAccepted);
        for (JsonNode loop : loops) {
            if (loop.path("decision").asBoolean() && loop.path("metrics").path(ANNUAL).isNumber()) {
                assertThat(best.path("values").path("annualized_return").asDouble())
                        .isGreaterThanOrEqualTo(loop.path("metrics").path(ANNUAL).asDouble());
            }
        }
        assertThat(metrics.path("last").path("loop").asInt()).isEqualTo(3);
        assertThat(metrics.path("rank_by").asText()).isEqualTo("annualized_return");
        assertThat(best.path("values").fieldNames()).toIterable().containsExactlyInAnyOrder("ic", "icir", "rank_ic", "rank_icir",
                "annualized_return", "information_ratio", "max_drawdown");
        // loop 0 ran RD-Agent's baseline first: never a result of its own
        JsonNode first = loops.get(0).path("experiments");
        assertThat(first).hasSize(2);
        assertThat(first.get(0).path("kind").asText()).isEqualTo("baseline");
        assertThat(list(metrics).stream()).noneMatch(r -> "baseline".equals(r.path("kind").asText()));

        // a task may rank by another metric: IC here
        long byIc = Tasks.submit(api, "{\"loop_n\": 4, \"rank_by\": \"ic\", \"dataset_ids\": [" + pool + "],"
                + " \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\", \"RDAGENT_SIM_SEED\": \"225\"}}");
        JsonNode ranked = Tasks.awaitStatus(api, byIc, "SUCCEEDED", RUN).path("metrics");
        assertThat(ranked.path("rank_by").asText()).isEqualTo("ic");
        double bestIc = loops.stream().filter(l -> l.path("decision").asBoolean())
                .mapToDouble(l -> l.path("metrics").path("IC").asDouble(Double.NEGATIVE_INFINITY)).max().orElseThrow();
        assertThat(ranked.path("best").path("values").path("ic").asDouble()).isEqualTo(bestIc);
    }

    @Test
    void aRunningTaskShowsItsFirstLoopsNumbersBeforeItEnds() throws Exception {
        long id = Tasks.submit(api, "{\"name\": \"live-metrics\", \"loop_n\": 4, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"1\"}}");
        // the stream the console follows, until it has brought loop 0's numbers: as the task's metrics and the loop's row
        List<LiveLogTest.Event> events = new ArrayList<>();
        LiveLogTest.readEvents(api, id, null, events, e -> loopZero(events, "metrics") != null && loopZero(events, "loop") != null);
        LiveLogTest.Event metricsEvent = loopZero(events, "metrics");
        LiveLogTest.Event loopEvent = loopZero(events, "loop");
        assertThat(metricsEvent).as("a metrics event naming loop 0 before the end: %s", events.stream()
                .map(LiveLogTest.Event::name).filter(n -> !n.equals("log")).toList()).isNotNull();
        assertThat(loopEvent).as("loop 0's row with its numbers").isNotNull();
        assertThat(events).extracting(LiveLogTest.Event::name).contains("status", "progress");

        JsonNode task = Tasks.get(api, id);
        assertThat(task.path("status").asText()).as("still running after its first loop").isEqualTo("RUNNING");
        JsonNode last = task.path("metrics").path("last");
        assertThat(last.path("loop").asInt()).isZero();
        JsonNode streamed = json(metricsEvent).path("last");
        assertThat(streamed.path("experiment")).isEqualTo(last.path("experiment"));
        assertThat(streamed.path("values")).isEqualTo(last.path("values"));
        double annual = last.path("values").path("annualized_return").asDouble();
        assertThat(json(loopEvent).path("metrics").path(ANNUAL).asDouble()).isEqualTo(annual);
        JsonNode loop0 = api.get("/api/rdagent/tasks/" + id + "/loops").json().get(0);
        assertThat(loop0.path("metrics").path(ANNUAL).asDouble()).isEqualTo(annual);

        // the figure, not a check: from RD-Agent writing qlib_res.csv to a viewer having the numbers
        long written = Instant.parse(streamed.path("finished_at").asText()).toEpochMilli();
        System.out.printf("live metrics: loop 0's numbers reached the stream %d ms after qlib_res.csv was written%n",
                metricsEvent.receivedAtMillis() - written);

        api.post("/api/rdagent/tasks/" + id + "/cancel", "");
        Tasks.awaitFinished(api, id, RUN);
    }

    /** The first event of this type that carries loop 0's numbers; null while there is none. */
    private static LiveLogTest.Event loopZero(List<LiveLogTest.Event> events, String type) {
        for (LiveLogTest.Event event : events) {
            if (event.name().equals(type)) {
                JsonNode data = json(event);
                JsonNode result = type.equals("metrics") ? data.path("last") : data;
                boolean numbers = type.equals("metrics") || data.path("metrics").path(ANNUAL).isNumber();
                if (result.path("loop").isInt() && result.path("loop").asInt() == 0 && numbers) {
                    return event;
                }
            }
        }
        return null;
    }

    private static JsonNode json(LiveLogTest.Event event) {
        try {
            return JSON.readTree(event.data());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void eachLoopHasItsCodeFeedbackCurveAndArchivedFilesByLoop() throws IOException {
        long id = Tasks.submit(api, "{\"name\": \"loop-detail\", \"loop_n\": 3, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\", "
                + PANDAS + "}}");
        JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", RUN);

        JsonNode detail = api.get("/api/rdagent/tasks/" + id + "/loops/0").json();
        assertThat(detail.path("hypothesis").asText()).isNotBlank();
        assertThat(detail.path("tasks").get(0).path("name").asText()).isNotBlank();
        JsonNode code = detail.path("codes").get(0);
        assertThat(code.path("task").asText()).isEqualTo(detail.path("tasks").get(0).path("name").asText());
        assertThat(code.path("files").path("factor.py").asText()).contains("def calculate_");
        assertThat(detail.path("feedback").path("observations").asText()).isNotBlank();
        assertThat(detail.path("feedback").path("hypothesis_evaluation").asText()).isNotBlank();
        assertThat(detail.path("decision").isBoolean()).isTrue();
        JsonNode own = detail.path("experiments").get(1);
        assertThat(own.path("kind").asText()).isEqualTo("factor");
        List<String> files = new ArrayList<>();
        own.path("files").forEach(f -> files.add(f.path("path").asText()));
        assertThat(files).contains("conf_combined_factors.yaml", "read_exp_res.py", "qlib_res.csv");

        String experiment = own.path("name").asText();
        Api.Response yaml = api.get("/api/rdagent/tasks/" + id + "/experiments/" + experiment + "/files/conf_combined_factors.yaml");
        assertThat(yaml.status()).isEqualTo(200);
        assertThat(yaml.body()).contains("TopkDropoutStrategy");
        for (String escape : List.of("../../run.log", "..%2F..%2Frun.log", "%2Fetc%2Fpasswd")) {
            assertThat(api.get("/api/rdagent/tasks/" + id + "/experiments/" + experiment + "/files/" + escape).status())
                    .as(escape).isEqualTo(400);
        }
        assertThat(api.get("/api/rdagent/tasks/" + id + "/experiments/..%2F..%2F/files/run.log").status()).isEqualTo(400);

        // every loop's curve, the SOTA's by default
        for (int loop = 0; loop < 3; loop++) {
            JsonNode report = api.get("/api/rdagent/tasks/" + id + "/report?loop=" + loop).json();
            if (report.path("experiment").isNull()) {
                assertThat(report.path("reason").asText()).as("loop %d", loop).isNotBlank();
                continue;
            }
            assertThat(report.path("loop").asInt()).isEqualTo(loop);
            assertThat(report.path("total_points").asInt()).as("loop %d: %s", loop, report.path("reason")).isGreaterThan(100);
        }
        JsonNode sotaCurve = api.get("/api/rdagent/tasks/" + id + "/report").json();
        if (task.path("metrics").path("sota").isObject()) {
            assertThat(sotaCurve.path("experiment").asText()).isEqualTo(task.path("metrics").path("sota").path("experiment").asText());
        } else {
            assertThat(sotaCurve.path("reason").asText()).contains("accepted no loop");
        }
        assertThat(api.get("/api/rdagent/tasks/" + id + "/report?loop=x").status()).isEqualTo(400);
        assertThat(api.get("/api/rdagent/tasks/" + id + "/loops/99").status()).isEqualTo(404);

        // the archive names results by loop and kind; summary.json says which experiment each name is
        Path archive = Path.of(task.path("archive_path").asText());
        assertThat(archive.resolve("results/loop00_baseline_qlib_res.csv")).exists();
        assertThat(archive.resolve("results/loop00_factor_qlib_res.csv")).exists();
        assertThat(archive.resolve("results/loop00_factor_ret.csv")).exists();
        assertThat(archive.resolve("experiments/loop00_factor/conf_combined_factors.yaml")).exists();
        JsonNode summary = new ObjectMapper().readTree(archive.resolve("summary.json").toFile());
        JsonNode named = list(summary.path("experiments")).stream()
                .filter(e -> e.path("name").asText().equals("loop00_factor")).findFirst().orElseThrow();
        assertThat(named.path("experiment").asText()).isEqualTo(experiment);
        assertThat(named.path("files").toString()).contains("results/loop00_factor_qlib_res.csv");
        // once archived, files and curves come from the archive even when the workspace is gone
        Path workspaceCopy = Path.of(task.path("workspace_path").asText(), "ws", experiment);
        Path moved = workspaceCopy.resolveSibling(experiment + ".moved");
        Files.move(workspaceCopy, moved);
        try {
            assertThat(api.get("/api/rdagent/tasks/" + id + "/experiments/" + experiment + "/files/conf_combined_factors.yaml")
                    .body()).contains("TopkDropoutStrategy");
            assertThat(api.get("/api/rdagent/tasks/" + id + "/report?experiment=" + experiment).json()
                    .path("total_points").asInt()).isGreaterThan(100);
        } finally {
            Files.move(moved, workspaceCopy);
        }
    }

    @Test
    void nanResultsNeverRankAndOnlyNanResultsFailNamingTheMetric() {
        long id = Tasks.submit(api, "{\"loop_n\": 2, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\", \"RDAGENT_SIM_NAN\": \"IC\"}}");
        JsonNode task = Tasks.awaitStatus(api, id, "FAILED", RUN);

        assertThat(task.path("exit_code").asInt()).isZero();
        assertThat(task.path("error").asText()).startsWith("no finite results: IC was not finite in loop 0");
        assertThat(task.path("metrics").path("sota").isNull()).isTrue();
        assertThat(task.path("metrics").path("best").isNull()).isTrue();
        assertThat(task.path("metrics").path("last").path("non_finite").toString()).contains("IC");
        assertThat(task.path("metrics").path("last").path("values").path("ic").isNull()).isTrue();
    }

    @Test
    void twoTasksDifferingOnlyInTopkDifferAndARerunRepeatsItsNumbers() {
        String file = RdAgentFiles.TEMPLATES.get(1);
        String body = "{\"loop_n\": 2, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}";
        long first = Tasks.submit(api, body);
        JsonNode template = api.get("/api/rdagent/templates/content?file=" + file).json();
        String original = template.path("content").asText();
        assertThat(original).contains("topk: 10");
        String edited = original.replace("topk: 10", "topk: 5");
        JsonNode written = api.put("/api/rdagent/templates/content?file=" + file, Api.json(Map.of("content", edited,
                "expected_sha256", template.path("sha256").asText(), "note", "fewer names"))).json();
        long second;
        try {
            second = Tasks.submit(api, body);
        } finally {
            api.put("/api/rdagent/templates/content?file=" + file, Api.json(Map.of("content", original,
                    "expected_sha256", written.path("sha256").asText(), "note", "back to 10")));
        }
        long rerun = api.post("/api/rdagent/tasks/" + first + "/rerun", "").json().path("id").asLong();

        JsonNode a = Tasks.awaitStatus(api, first, "SUCCEEDED", RUN).path("metrics");
        JsonNode b = Tasks.awaitStatus(api, second, "SUCCEEDED", RUN).path("metrics");
        JsonNode again = Tasks.awaitStatus(api, rerun, "SUCCEEDED", RUN).path("metrics");

        // loop 0's own experiment ran the edited template: its numbers moved; the rerun repeats every number
        assertThat(loopMetrics(second)).isNotEqualTo(loopMetrics(first));
        assertThat(loopMetrics(second).get(0)).isNotEqualTo(loopMetrics(first).get(0));
        assertThat(loopMetrics(rerun)).isEqualTo(loopMetrics(first));
        for (String result : List.of("sota", "best", "last")) {
            assertThat(again.path(result).path("values")).as(result).isEqualTo(a.path(result).path("values"));
            assertThat(again.path(result).path("loop")).as(result).isEqualTo(a.path(result).path("loop"));
        }
        assertThat(b.path("last").path("values")).isNotNull();
    }

    @Test
    void rankByIsValidated() {
        Api.Response bad = api.post("/api/rdagent/tasks", "{\"rank_by\": \"sharpe\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("field").asText()).isEqualTo("rank_by");
    }

    private List<JsonNode> loopMetrics(long taskId) {
        List<JsonNode> metrics = new ArrayList<>();
        api.get("/api/rdagent/tasks/" + taskId + "/loops").json().forEach(loop -> metrics.add(loop.path("metrics")));
        return metrics;
    }

    private static List<JsonNode> list(JsonNode node) {
        List<JsonNode> items = new ArrayList<>();
        node.forEach(items::add);
        return items;
    }
}
