package com.aistock.rdagent.task;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The task list as a leaderboard: every sort key and filter over tasks whose metrics are known (inserted by SQL,
 * all in one batch of their own so the shared database's other tasks stay out of the answers).
 */
class LeaderboardTest extends IntegrationTest {

    private UUID batch;
    /** name → id of the tasks of this test */
    private final Map<String, Long> ids = new LinkedHashMap<>();

    @BeforeEach
    void insertTasks() {
        batch = UUID.randomUUID();
        jdbc.update("INSERT INTO rdagent_batch (id, name) VALUES (?, 'leaderboard test')", batch);
        // name, status, scenario, dataset, schedule, sota ic / annualized_return, best ic, created, minutes run
        insert("a", "SUCCEEDED", "fin_quant", 901L, null, 0.05, 0.20, 0.06, "2026-11-01T10:00:00Z", 30);
        insert("b", "SUCCEEDED", "fin_factor", 902L, 77L, 0.02, 0.35, 0.02, "2026-11-02T10:00:00Z", 90);
        insert("c", "FAILED", "fin_quant", 901L, null, null, null, null, "2026-11-03T10:00:00Z", 10);
        insert("d", "SUCCEEDED", "fin_model", 903L, 77L, -0.01, -0.05, 0.04, "2026-11-04T10:00:00Z", 60);
        insert("e", "CANCELLED", "fin_quant", 901L, null, 0.03, null, null, "2026-11-05T10:00:00Z", null);
        jdbc.update("UPDATE rdagent_task SET tags = ARRAY['动量', 'x'], starred = true WHERE id IN (?, ?)",
                ids.get("b"), ids.get("d"));
        jdbc.update("UPDATE rdagent_task SET cost_usd = CASE name WHEN 'lb-a' THEN 1.5 WHEN 'lb-b' THEN 0.2 ELSE 3 END"
                + " WHERE id IN (?, ?, ?)", ids.get("a"), ids.get("b"), ids.get("d"));
    }

    private void insert(String name, String status, String scenario, Long dataset, Long schedule, Double ic,
                        Double annualized, Double bestIc, String created, Integer minutes) {
        String metrics = ic == null && bestIc == null ? null : Api.json(Map.of(
                "sota", result(values(ic, annualized)), "best", result(values(bestIc, annualized)),
                "last", result(values(ic, annualized)), "rank_by", "annualized_return", "experiments", 3));
        long id = jdbc.queryForObject("""
                INSERT INTO rdagent_task (name, scenario, status, origin, batch_id, dataset_id, schedule_id, params,
                                          config_hash, config_manifest, metrics, created_at, started_at, finished_at)
                VALUES (?, ?, ?, 'api', ?, ?, ?, '{}', repeat('0', 64), '{}', CAST(? AS jsonb), CAST(? AS timestamptz),
                        CAST(? AS timestamptz), CAST(? AS timestamptz) + make_interval(mins => ?))
                RETURNING id""", Long.class, "lb-" + name, scenario, status, batch, dataset, schedule, metrics,
                created, created, minutes == null ? null : created, minutes == null ? 0 : minutes);
        ids.put(name, id);
    }

    /** A result as RunSummary writes it: every metric named, null where absent. */
    private static Map<String, Object> result(Map<String, Object> values) {
        return Map.of("loop", 1, "experiment", "0".repeat(32), "decision", true, "values", values,
                "non_finite", List.of(), "finished_at", "2026-11-06T10:00:00Z");
    }

    private static Map<String, Object> values(Double ic, Double annualized) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Metric metric : Metric.values()) {
            values.put(metric.key(), null);
        }
        values.put("ic", ic);
        values.put("annualized_return", annualized);
        return values;
    }

    /** The shared database's other tests list tasks too: these leave with their test. */
    @AfterEach
    void deleteTasks() {
        jdbc.update("DELETE FROM rdagent_task WHERE batch_id = ?", batch);
    }

    private List<String> names(String query) {
        Api.Response response = api.get("/api/rdagent/tasks?batch_id=" + batch + "&size=50&" + query);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        for (JsonNode task : response.json().path("items")) {
            names.add(task.path("name").asText().substring(3));
        }
        assertThat(response.json().path("total").asInt()).isEqualTo(names.size());
        return names;
    }

    @Test
    void sortsByEachKeyWithNullsLastBothWays() {
        assertThat(names("")).containsExactly("e", "d", "c", "b", "a");
        assertThat(names("sort=id")).containsExactly("a", "b", "c", "d", "e");
        assertThat(names("sort=-created_at")).containsExactly("e", "d", "c", "b", "a");
        assertThat(names("sort=created_at")).containsExactly("a", "b", "c", "d", "e");
        assertThat(names("sort=ic")).containsExactly("d", "b", "e", "a", "c");
        assertThat(names("sort=-ic")).containsExactly("a", "e", "b", "d", "c");
        assertThat(names("sort=-annualized_return")).containsExactly("b", "a", "d", "e", "c");
        assertThat(names("sort=annualized_return")).containsExactly("d", "a", "b", "c", "e");
        assertThat(names("sort=-best_ic")).containsExactly("a", "d", "b", "e", "c");
        assertThat(names("sort=best_ic")).containsExactly("b", "d", "a", "c", "e");
        assertThat(names("sort=-duration")).containsExactly("b", "d", "a", "c", "e");
        assertThat(names("sort=duration")).containsExactly("c", "a", "d", "b", "e");
        assertThat(names("sort=-finished_at")).containsExactly("d", "c", "b", "a", "e");
        assertThat(names("sort=finished_at")).containsExactly("a", "b", "c", "d", "e");
        assertThat(names("sort=-cost")).containsExactly("d", "a", "b", "e", "c");
        assertThat(names("sort=cost")).containsExactly("b", "a", "d", "c", "e");
        // a key without values anywhere: all NULL, ties by id in the asked direction
        assertThat(names("sort=-icir")).containsExactly("e", "d", "c", "b", "a");
        assertThat(names("sort=icir")).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void eachFilterSelectsItsTasks() {
        assertThat(names("min_ic=0.03")).containsExactly("e", "a");
        assertThat(names("min_ic=0.02&max_ic=0.03&sort=-ic")).containsExactly("e", "b");
        assertThat(names("max_annualized_return=0.2&sort=-annualized_return")).containsExactly("a", "d");
        assertThat(names("min_best_ic=0.04&sort=best_ic")).containsExactly("d", "a");
        assertThat(names("dataset_id=901")).containsExactly("e", "c", "a");
        assertThat(names("scenario=fin_factor")).containsExactly("b");
        assertThat(names("schedule_id=77")).containsExactly("d", "b");
        assertThat(names("tag=" + enc("动量"))).containsExactly("d", "b");
        assertThat(names("tag=nope")).isEmpty();
        assertThat(names("starred=true")).containsExactly("d", "b");
        assertThat(names("starred=false")).containsExactly("e", "c", "a");
        assertThat(names("status=succeeded")).containsExactly("d", "b", "a");
        assertThat(names("accepted=true")).containsExactly("e", "d", "b", "a");
        assertThat(names("accepted=false")).containsExactly("c");
        assertThat(names("created_from=2026-11-02&created_to=2026-11-04")).containsExactly("d", "c", "b");
        assertThat(names("created_from=" + enc("2026-11-02T10:00:00Z") + "&created_to="
                + enc("2026-11-04T10:00:00+00:00"))).containsExactly("c", "b");
        assertThat(names("q=lb-c")).containsExactly("c");
        assertThat(names("status=SUCCEEDED&min_annualized_return=0&sort=-ic&tag=x")).containsExactly("b");
        assertThat(api.get("/api/rdagent/tasks?batch_id=" + UUID.randomUUID()).json().path("total").asInt()).isZero();
    }

    @Test
    void pagesOfASortedListFollowEachOther() {
        Api.Response first = api.get("/api/rdagent/tasks?batch_id=" + batch + "&sort=-ic&size=2&page=0");
        Api.Response second = api.get("/api/rdagent/tasks?batch_id=" + batch + "&sort=-ic&size=2&page=1");
        assertThat(first.json().path("total").asInt()).isEqualTo(5);
        assertThat(first.json().path("items").get(1).path("name").asText()).isEqualTo("lb-e");
        assertThat(second.json().path("items").get(0).path("name").asText()).isEqualTo("lb-b");
    }

    @Test
    void theCsvKeepsChineseAndTheOrderAsPythonReadsIt() throws Exception {
        jdbc.update("UPDATE rdagent_task SET name = ?, note = ? WHERE id = ?", "沪深300 动量, \"第二版\"",
                "换手率偏高\n下次加约束", ids.get("a"));
        jdbc.update("UPDATE rdagent_task SET name = '=cmd()' WHERE id = ?", ids.get("b"));
        HttpResponse<byte[]> response = api.client().send(api.request("/api/rdagent/tasks.csv?batch_id=" + batch
                + "&sort=-ic&min_ic=0").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        assertThat(response.body()).startsWith(0xEF, 0xBB, 0xBF);
        Path file = Files.createTempFile(base(), "leaderboard", ".csv");
        Files.write(file, response.body());

        // Python's csv module, reading as Excel users' tools do: utf-8-sig drops the byte-order mark
        Process python = new ProcessBuilder("python3", "-c", """
                import csv, json, sys
                with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:
                    print(json.dumps(list(csv.reader(f))))
                """, file.toString()).redirectErrorStream(true).start();
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor()).as(out).isZero();
        JsonNode rows = new ObjectMapper().readTree(out);

        assertThat(rows.get(0).get(0).asText()).isEqualTo("id");
        assertThat(rows.get(0).get(1).asText()).isEqualTo("name");
        List<String> header = new ArrayList<>();
        rows.get(0).forEach(cell -> header.add(cell.asText()));
        assertThat(header).contains("ic", "best_max_drawdown", "tags", "note");
        assertThat(rows).hasSize(4); // header + a, e, b (d has a negative IC)
        assertThat(rows.get(1).get(0).asLong()).isEqualTo(ids.get("a"));
        assertThat(rows.get(1).get(1).asText()).isEqualTo("沪深300 动量, \"第二版\"");
        assertThat(rows.get(1).get(header.indexOf("ic")).asDouble()).isEqualTo(0.05);
        assertThat(rows.get(1).get(header.indexOf("note")).asText()).isEqualTo("换手率偏高\n下次加约束");
        assertThat(rows.get(2).get(0).asLong()).isEqualTo(ids.get("e"));
        assertThat(rows.get(3).get(1).asText()).isEqualTo("'=cmd()");
        assertThat(rows.get(3).get(header.indexOf("tags")).asText()).isEqualTo("动量;x");

        Api.Response refused = api.get("/api/rdagent/tasks.csv?sort=bogus");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("field").asText()).isEqualTo("sort");
    }

    @Test
    void badParametersAreRefusedByName() {
        expect("sort=colour", "sort");
        expect("sort=-name", "sort");
        expect("sort=" + enc("ic; DROP TABLE rdagent_task"), "sort");
        expect("min_colour=1", "min_colour");
        expect("min_ic=abc", "min_ic");
        expect("max_ic=NaN", "max_ic");
        expect("dataset_id=0", "dataset_id");
        expect("schedule_id=x", "schedule_id");
        expect("batch_id=123", "batch_id");
        expect("starred=yes", "starred");
        expect("accepted=1", "accepted");
        expect("scenario=fin_other", "scenario");
        expect("created_from=yesterday", "created_from");
        expect("created_to=2026-13-01", "created_to");
        expect("tag=" + "t".repeat(41), "tag");
        expect("status=DONE", "status");
    }

    private void expect(String query, String field) {
        Api.Response response = api.get("/api/rdagent/tasks?" + query);
        assertThat(response.status()).as(query).isEqualTo(400);
        assertThat(response.json().path("error").asText()).isEqualTo("validation");
        assertThat(response.json().path("field").asText()).as(query).isEqualTo(field);
    }

    static String enc(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
    }
}
