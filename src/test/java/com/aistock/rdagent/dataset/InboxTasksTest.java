package com.aistock.rdagent.dataset;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.aistock.rdagent.support.Api;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Tasks from the inbox: {@code *.task.json} exactly as POST /tasks, and the auto-run of a dropped stock pool. */
class InboxTasksTest extends InboxIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aTaskFileBecomesTheTaskPostTasksWouldCreate() throws IOException {
        String body = "{\"name\": \"inbox task file\", \"loop_n\": 3, \"all_duration\": \"2h\", \"evolving_mode\": \"llm\"}";
        Files.writeString(inbox().resolve("nightly.task.json"), body);

        JsonNode fromInbox = awaitTask("inbox task file");
        JsonNode fromApi = api.post("/api/rdagent/tasks", body).json();

        assertThat(fromInbox.path("origin").asText()).isEqualTo("inbox");
        assertThat(fromInbox.path("operator").asText()).isEqualTo("inbox");
        assertThat(fromInbox.path("params")).isEqualTo(fromApi.path("params"));
        assertThat(fromInbox.path("config_hash").asText()).isEqualTo(fromApi.path("config_hash").asText());
        await().atMost(Duration.ofSeconds(30)).until(() -> filesIn(".done").stream()
                .anyMatch(p -> p.getFileName().toString().equals("nightly.task.json")));
    }

    @Test
    void aTaskFileWithABadFieldIsRejectedWithTheApisMessage() throws IOException {
        for (Map.Entry<String, String> bad : Map.of(
                "bad-loop.task.json", "{\"name\": \"never created\", \"loop_n\": 0}",
                "bad-duration.task.json", "{\"name\": \"never created\", \"all_duration\": \"1h30m\"}",
                "bad-json.task.json", "{\"name\": \"never created\", ").entrySet()) {
            Files.writeString(inbox().resolve(bad.getKey()), bad.getValue());
            Api.Response api400 = api.post("/api/rdagent/tasks", bad.getValue());
            assertThat(api400.status()).as(api400.body()).isEqualTo(400);

            Path reason = inbox().resolve(".error").resolve(bad.getKey() + ".error.txt");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(inbox().resolve(".error").resolve(bad.getKey())));

            assertThat(inbox().resolve(".error").resolve(bad.getKey())).hasContent(bad.getValue());
            assertThat(reason).content()
                    .contains("error: " + api400.json().path("error").asText() + "\n")
                    .contains("field: " + api400.json().path("field").asText() + "\n")
                    .contains("message: " + api400.json().path("message").asText() + "\n");
        }
        assertThat(count("SELECT count(*) FROM rdagent_task WHERE name = 'never created'")).isZero();
    }

    @Test
    void aDroppedPoolStartsATaskWithTheDefaultParameters() throws IOException {
        Files.writeString(inbox().resolve("Auto Run-Pool.txt"), "SH600000\n");

        JsonNode task = awaitTask("Auto Run-Pool");

        long dataset = count("SELECT d.id FROM " + DATASETS + " WHERE p.name = 'Auto Run-Pool'");
        assertThat(task.path("origin").asText()).isEqualTo("inbox");
        assertThat(task.path("dataset_id").asLong()).isEqualTo(dataset);
        assertThat(task.path("status").asText()).isEqualTo("PENDING");
        assertThat(task.path("params")).isEqualTo(JSON.readTree("""
                {"name": "Auto Run-Pool", "scenario": "fin_quant", "dataset_ids": [%d], "loop_n": 2,
                 "all_duration": "30m", "env": {"RDAGENT_SIM_STEP_SECONDS": "0"}}""".formatted(dataset)));
    }

    /** The one task named {@code name}, once the task list shows it. */
    private JsonNode awaitTask(String name) {
        String query = "/api/rdagent/tasks?q=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
        List<JsonNode> named = await().atMost(Duration.ofSeconds(30)).until(() -> api.get(query).json().path("items")
                .findParents("id").stream().filter(task -> task.path("name").asText().equals(name)).toList(), found -> !found.isEmpty());
        assertThat(named).hasSize(1);
        return api.get("/api/rdagent/tasks/" + named.get(0).path("id").asLong()).json();
    }
}
