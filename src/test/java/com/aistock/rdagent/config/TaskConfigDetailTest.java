package com.aistock.rdagent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A task's config in its detail: the versions it ran, their difference from today's files, and making them live. */
class TaskConfigDetailTest extends ConfigIntegrationTest {

    private static final String FILE = RdAgentFiles.TEMPLATES.get(0);

    @Test
    void aTaskShowsTheVersionsItRanAndAnAdminMakesThemLiveWithOneReason() throws IOException {
        String original = new String(liveBytes(FILE), StandardCharsets.UTF_8);
        JsonNode ran = ok(putTemplate(FILE, original.replace("n_drop: 2", "n_drop: 3"), sha256(original)));
        long task = Tasks.submit(api, "{\"loop_n\": 1, \"source_history_ids\": [" + ran.path("version_id").asLong()
                + "], \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
        Tasks.awaitFinished(api, task, Duration.ofSeconds(90));
        ok(putTemplate(FILE, original.replace("n_drop: 2", "n_drop: 4"), ran.path("sha256").asText()));

        JsonNode config = ok(api.get("/api/rdagent/tasks/" + task + "/config"));

        assertThat(config.path("live").asBoolean()).isFalse();
        assertThat(config.path("files")).hasSize(5);
        JsonNode changed = config.path("files").get(0);
        assertThat(changed.path("file").asText()).isEqualTo(FILE);
        assertThat(changed.path("version").path("id").asLong()).isEqualTo(ran.path("version_id").asLong());
        assertThat(changed.path("version").path("note").asText()).isEqualTo("test edit");
        assertThat(changed.path("source_sha256").asText()).isEqualTo(ran.path("sha256").asText());
        assertThat(changed.path("changed").asBoolean()).isTrue();
        assertThat(changed.path("diff").asText()).contains("\n-      n_drop: 3", "\n+      n_drop: 4");
        for (int i = 1; i < 5; i++) {
            assertThat(config.path("files").get(i).path("changed").asBoolean()).as(RdAgentFiles.TEMPLATES.get(i)).isFalse();
            assertThat(config.path("files").get(i).path("version").path("current").asBoolean()).isTrue();
        }

        Map<String, String> expected = new LinkedHashMap<>();
        config.path("files").forEach(file -> expected.put(file.path("file").asText(), file.path("current_sha256").asText()));
        String path = "/api/rdagent/tasks/" + task + "/config/restore";
        Api.Response noReason = api.post(path, Api.json(Map.of("expected_sha256", expected)));
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.json().path("field").asText()).isEqualTo("note");
        Api.Response operator = operator().post(path, Api.json(Map.of("note", "x", "expected_sha256", expected)));
        assertThat(operator.status()).isEqualTo(403);

        String reason = " back to what #" + task + " ran ";
        JsonNode restored = ok(api.post(path, Api.json(Map.of("note", reason, "expected_sha256", expected))));

        assertThat(liveBytes(FILE)).isEqualTo(original.replace("n_drop: 2", "n_drop: 3").getBytes(StandardCharsets.UTF_8));
        JsonNode written = restored.path("files").get(0);
        assertThat(written.path("changed").asBoolean()).isTrue();
        JsonNode version = ok(api.get("/api/rdagent/templates/history/" + written.path("version_id").asLong()));
        assertThat(version.path("kind").asText()).isEqualTo("restore");
        assertThat(version.path("note").asText()).isEqualTo(reason);
        assertThat(version.path("task_id").asLong()).isEqualTo(task);
        JsonNode backup = ok(api.get("/api/rdagent/templates/history/" + written.path("history_id").asLong()));
        assertThat(backup.path("history_path").asText()).endsWith("_" + task + "_conf_baseline.yaml");
        for (int i = 1; i < 5; i++) {
            assertThat(restored.path("files").get(i).path("changed").asBoolean()).isFalse();
        }
        assertThat(ok(api.get("/api/rdagent/tasks/" + task + "/config")).path("live").asBoolean()).isTrue();

        // the same request again: the files it expected are gone, so nothing is written
        Map<String, Object> stale = new HashMap<>(Map.of("note", "again", "expected_sha256", expected));
        ok(putTemplate(FILE, original, sha256(liveBytes(FILE))));
        assertThat(api.post(path, Api.json(stale)).status()).isEqualTo(409);
        assertThat(liveBytes(FILE)).isEqualTo(original.getBytes(StandardCharsets.UTF_8));
    }

    private Api operator() {
        String name = "operator" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(api.post("/api/rdagent/users", Api.json(Map.of("username", name, "password", "operator-password-1",
                "role", "OPERATOR"))).status()).isEqualTo(201);
        return Api.as(port, name, "operator-password-1");
    }
}
