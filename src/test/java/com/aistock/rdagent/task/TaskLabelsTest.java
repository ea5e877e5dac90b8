package com.aistock.rdagent.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Tags, notes and stars: what a researcher writes comes back exactly, within its limits, by OPERATOR and up. */
class TaskLabelsTest extends IntegrationTest {

    private long id;

    @BeforeEach
    void insertTask() {
        id = jdbc.queryForObject("""
                INSERT INTO rdagent_task (name, scenario, status, origin, params, config_hash, config_manifest)
                VALUES ('labels', 'fin_quant', 'SUCCEEDED', 'api', '{}', repeat('0', 64), '{}') RETURNING id""",
                Long.class);
    }

    @AfterEach
    void deleteTask() {
        jdbc.update("DELETE FROM rdagent_task WHERE id = ?", id);
    }

    @Test
    void tagsNoteAndStarRoundTripExactly() {
        String unique = "标签-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> tags = List.of(unique, "动量因子🚀", "x".repeat(40), "👍".repeat(40));
        // 4,000 characters of Chinese, emoji (one character, two UTF-16 units each) and line breaks
        String note = ("换手率偏高了🙂\n").repeat(500);
        assertThat(note.codePointCount(0, note.length())).isEqualTo(4000);

        Api.Response patched = api.patch("/api/rdagent/tasks/" + id,
                Api.json(Map.of("tags", tags, "note", note, "starred", true)));

        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        JsonNode task = api.get("/api/rdagent/tasks/" + id).json();
        assertThat(strings(task.path("tags"))).containsExactlyElementsOf(tags);
        assertThat(task.path("note").asText()).isEqualTo(note);
        assertThat(task.path("starred").asBoolean()).isTrue();
        // the audit entry is written as the asynchronous answer completes
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "SELECT count(*) FROM rdagent_audit WHERE method = 'PATCH' AND path = ? AND status = 200"
                        + " AND operator = 'admin'", Long.class, "/api/rdagent/tasks/" + id)).isOne());

        // the tag is offered as a suggestion, and finds its task
        JsonNode inUse = api.get("/api/rdagent/tasks/tags").json();
        assertThat(inUse.findValuesAsText("tag")).contains(unique, "动量因子🚀");
        assertThat(api.get("/api/rdagent/tasks?tag=" + LeaderboardTest.enc(unique)).json().path("items")
                .get(0).path("id").asLong()).isEqualTo(id);

        // a field left out stays; the star alone changes; [] and null clear
        api.patch("/api/rdagent/tasks/" + id, "{\"starred\": false}");
        task = api.get("/api/rdagent/tasks/" + id).json();
        assertThat(task.path("starred").asBoolean()).isFalse();
        assertThat(task.path("note").asText()).isEqualTo(note);
        assertThat(task.path("tags")).hasSize(4);
        api.patch("/api/rdagent/tasks/" + id, "{\"tags\": [], \"note\": null}");
        task = api.get("/api/rdagent/tasks/" + id).json();
        assertThat(task.path("tags")).isEmpty();
        assertThat(task.path("note").isNull()).isTrue();
    }

    @Test
    void limitsAreRefusedByFieldAndNothingChanges() {
        api.patch("/api/rdagent/tasks/" + id, "{\"tags\": [\"keep\"], \"note\": \"keep\"}");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            many.add("t" + i);
        }
        refused(Map.of("tags", many, "note", "changed"), "tags");
        refused(Map.of("tags", List.of("y".repeat(41))), "tags");
        refused(Map.of("tags", List.of(" ")), "tags");
        refused(Map.of("tags", "one"), "tags");
        refused(Map.of("note", "n".repeat(4001), "tags", List.of("changed")), "note");
        refused(Map.of("note", "bell\u0007"), "note");
        refused(Map.of("starred", "yes"), "starred");
        refused(Map.of("colour", "red"), "colour");
        refused(Map.of(), "body");
        assertThat(api.patch("/api/rdagent/tasks/" + id, "{not json").json().path("field").asText()).isEqualTo("body");
        assertThat(api.patch("/api/rdagent/tasks/999999999", "{\"starred\": true}").status()).isEqualTo(404);

        JsonNode task = api.get("/api/rdagent/tasks/" + id).json();
        assertThat(strings(task.path("tags"))).containsExactly("keep");
        assertThat(task.path("note").asText()).isEqualTo("keep");
        assertThat(task.path("starred").asBoolean()).isFalse();
    }

    @Test
    void aViewerMayReadButNotLabel() {
        String name = "viewer" + UUID.randomUUID().toString().substring(0, 8);
        api.post("/api/rdagent/users", "{\"username\": \"" + name + "\", \"password\": \"password-" + name
                + "\", \"role\": \"VIEWER\"}");
        Api viewer = Api.as(port, name, "password-" + name);

        Api.Response refused = viewer.patch("/api/rdagent/tasks/" + id, "{\"starred\": true}");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("error").asText()).isEqualTo("forbidden");
        assertThat(viewer.get("/api/rdagent/tasks/tags").status()).isEqualTo(200);
        assertThat(api.get("/api/rdagent/tasks/" + id).json().path("starred").asBoolean()).isFalse();
    }

    private void refused(Map<String, ?> body, String field) {
        Api.Response response = api.patch("/api/rdagent/tasks/" + id, Api.json(body));
        assertThat(response.status()).as(body.toString()).isEqualTo(400);
        assertThat(response.json().path("field").asText()).as(body.toString()).isEqualTo(field);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
