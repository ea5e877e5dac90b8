package com.aistock.rdagent.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every limit the OpenAPI document gives a task field, a schedule field or a query parameter is the limit the
 * service enforces: the value at the limit is accepted, one past it refused with 400 naming the field. Accepted task
 * fields are saved in a paused schedule's task template (the same rules as {@code POST /tasks}), so nothing runs.
 */
class DocumentedLimitsTest extends IntegrationTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String SCHEDULES = "/api/rdagent/schedules";
    private JsonNode document;
    private final List<String> wrong = new ArrayList<>();

    @BeforeEach
    void loadDocument() {
        document = api.get("/api/rdagent/openapi.json").json();
    }

    @AfterEach
    void deleteSchedules() {
        for (Long id : jdbc.queryForList("SELECT id FROM rdagent_schedule", Long.class)) {
            api.delete(SCHEDULES + "/" + id);
        }
    }

    @Test
    void taskFieldLimitsAreTheOnesEnforced() {
        int checked = 0;
        for (Map.Entry<String, JsonNode> property : schema("TaskRequest").path("properties").properties()) {
            String field = property.getKey();
            JsonNode schema = resolve(property.getValue());
            if (schema.has("minimum") || schema.has("maximum")) {
                checked++;
                if (schema.has("minimum")) {
                    long min = schema.get("minimum").asLong();
                    task(field, JSON.numberNode(min), true);
                    task(field, JSON.numberNode(min - 1), false);
                }
                if (schema.has("maximum")) {
                    long max = schema.get("maximum").asLong();
                    task(field, JSON.numberNode(max), true);
                    task(field, JSON.numberNode(max + 1), false);
                }
            }
            if (schema.has("maxLength")) {
                checked++;
                task(field, JSON.textNode("1".repeat(schema.get("maxLength").asInt() + 1)), false);
            }
            if (schema.has("maxItems")) {
                checked++;
                task(field, ids(schema.get("maxItems").asInt() + 1), false);
            }
            if (schema.has("maxProperties")) {
                checked++;
                int max = schema.get("maxProperties").asInt();
                task(field, variables(max, "x"), true);
                task(field, variables(max + 1, "x"), false);
                int valueMax = schema.path("additionalProperties").path("maxLength").asInt();
                task(field, variables(1, "x".repeat(valueMax)), true);
                task(field, variables(1, "x".repeat(valueMax + 1)), false);
                for (JsonNode reserved : schema.path("propertyNames").path("not").path("enum")) {
                    task(field, JSON.objectNode().put(reserved.asText(), "x"), false);
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(checked).as("limits checked").isGreaterThanOrEqualTo(14);
    }

    @Test
    void scheduleFieldLimitsAreTheOnesEnforced() {
        JsonNode properties = schema("ScheduleRequest").path("properties");
        int nameMax = properties.path("name").path("maxLength").asInt();
        schedule(body("n".repeat(nameMax), "0 0 12 * * ?", "Asia/Shanghai"), "name", true);
        schedule(body("n".repeat(nameMax + 1), "0 0 12 * * ?", "Asia/Shanghai"), "name", false);
        schedule(body(" ", "0 0 12 * * ?", "Asia/Shanghai"), "name", false);
        int cronMax = resolve(properties.path("cron")).path("maxLength").asInt();
        schedule(body("cron", "0 0 12 * * ?" + " ".repeat(cronMax - 12), "Asia/Shanghai"), "cron", true);
        schedule(body("cron", "0 0 12 * * ?" + " ".repeat(cronMax - 11), "Asia/Shanghai"), "cron", false);
        int zoneMax = resolve(properties.path("time_zone")).path("maxLength").asInt();
        schedule(body("zone", "0 0 12 * * ?", "Z".repeat(zoneMax + 1)), "time_zone", false);
        assertThat(wrong).isEmpty();
    }

    @Test
    void queryParameterLimitsAreTheOnesEnforced() {
        JsonNode count = parameter("/api/rdagent/schedules/preview", "count");
        query(SCHEDULES + "/preview?cron=0%200%2012%20*%20*%20%3F&count=", "count", count);
        query("/api/rdagent/tasks?page=", "page", resolve(document.at("/components/parameters/Page")).path("schema"));
        query("/api/rdagent/tasks?size=", "size", resolve(document.at("/components/parameters/Size")).path("schema"));
        int cronMax = schema("Cron").path("maxLength").asInt();
        Api.Response tooLong = api.get(SCHEDULES + "/preview?cron=" + "0%200%2012%20*%20*%20%3F" + "%20".repeat(cronMax - 11));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().path("field").asText()).isEqualTo("cron");
        assertThat(wrong).isEmpty();
    }

    private void query(String path, String field, JsonNode schema) {
        long min = schema.path("minimum").asLong();
        long max = schema.path("maximum").asLong();
        assertThat(schema.has("maximum")).as(path + " documents a maximum").isTrue();
        for (long value : List.of(min, max)) {
            expect(api.get(path + value), field, true, field + "=" + value);
        }
        for (long value : List.of(min - 1, max + 1)) {
            expect(api.get(path + value), field, false, field + "=" + value);
        }
    }

    private JsonNode parameter(String path, String name) {
        for (JsonNode parameter : document.path("paths").path(path).path("get").path("parameters")) {
            if (resolve(parameter).path("name").asText().equals(name)) {
                return resolve(parameter).path("schema");
            }
        }
        throw new AssertionError(path + " documents no parameter " + name);
    }

    /** Accepted: saved in a paused schedule's task template. Refused: by POST /tasks itself, which stores nothing. */
    private void task(String field, JsonNode value, boolean accepted) {
        if (accepted) {
            ObjectNode body = body("limits", "0 0 12 * * ?", "Asia/Shanghai");
            body.withObjectProperty("task").set(field, value);
            schedule(body, "task." + field, true);
        } else {
            ObjectNode task = JSON.objectNode().put("loop_n", 1).set(field, value);
            String text = task.toString();
            expect(api.post("/api/rdagent/tasks", text), field, false, text.length() > 300
                    ? field + " (" + text.length() + " characters)" : text);
        }
    }

    private void schedule(ObjectNode body, String field, boolean accepted) {
        expect(api.post(SCHEDULES, body.toString()), field, accepted, body.toString().length() > 300
                ? field + " (" + body.toString().length() + " characters)" : body.toString());
    }

    private void expect(Api.Response response, String field, boolean accepted, String what) {
        if (accepted && response.status() / 100 != 2) {
            wrong.add(what + " documented as allowed, answered " + response.status() + " " + response.body());
        } else if (!accepted && (response.status() != 400 || !response.json().path("field").asText().equals(field))) {
            wrong.add(what + " documented as refused, answered " + response.status() + " " + response.body());
        }
    }

    private static ObjectNode body(String name, String cron, String zone) {
        ObjectNode body = JSON.objectNode().put("name", name).put("cron", cron).put("time_zone", zone).put("enabled", false);
        body.putObject("task").put("loop_n", 1);
        return body;
    }

    private static JsonNode ids(int count) {
        var ids = JSON.arrayNode();
        for (int i = 1; i <= count; i++) {
            ids.add(i);
        }
        return ids;
    }

    private static JsonNode variables(int count, String value) {
        ObjectNode env = JSON.objectNode();
        for (int i = 0; i < count; i++) {
            env.put("LIMIT_" + i, value);
        }
        return env;
    }

    private JsonNode schema(String name) {
        JsonNode schema = document.path("components").path("schemas").path(name);
        assertThat(schema.isMissingNode()).as("schema " + name).isFalse();
        return schema;
    }

    private JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? document.at(node.get("$ref").asText().substring(1)) : node;
    }
}
