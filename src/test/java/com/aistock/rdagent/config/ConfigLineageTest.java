package com.aistock.rdagent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * History is a list of versions, each with its own note: the label trap (a version listed with the note of the
 * change that replaced it) cannot happen, and what a user types is kept exactly.
 */
class ConfigLineageTest extends ConfigIntegrationTest {

    private static final String FILE = RdAgentFiles.TEMPLATES.get(0);

    @Test
    void theVersionWhoseNoteSaysLr005ContainsLr005AndATaskFromItRunsWithIt() throws IOException {
        String original = new String(liveBytes(FILE), StandardCharsets.UTF_8);
        assertThat(original).contains("topk: 10 ", "learning_rate: 0.1\n");
        String topk8 = original.replace("topk: 10 ", "topk: 8 ");
        JsonNode first = ok(write(topk8, sha256(original), "topk 10→8"));
        String lr005 = topk8.replace("learning_rate: 0.1\n", "learning_rate: 0.05\n");
        JsonNode second = ok(write(lr005, first.path("sha256").asText(), "lr 0.1→0.05"));
        // the file moves on, so running "lr 0.05" must come from the history
        ok(write(lr005.replace("learning_rate: 0.05\n", "learning_rate: 0.2\n"), second.path("sha256").asText(),
                "lr 0.05→0.2"));

        JsonNode labelled = templateHistory(FILE).stream()
                .filter(version -> version.path("note").asText().equals("lr 0.1→0.05")).findFirst().orElseThrow();

        assertThat(labelled.path("id").asLong()).isEqualTo(second.path("version_id").asLong());
        JsonNode version = ok(api.get("/api/rdagent/templates/history/" + labelled.path("id").asLong()));
        assertThat(version.path("content").asText()).contains("learning_rate: 0.05\n", "topk: 8 ");
        assertThat(version.path("kind").asText()).isEqualTo("write");
        assertThat(version.path("replaced_by").asLong()).as("replaced by the lr 0.2 write")
                .isGreaterThan(labelled.path("id").asLong());
        JsonNode before = ok(api.get("/api/rdagent/templates/history/" + first.path("version_id").asLong()));
        assertThat(before.path("note").asText()).isEqualTo("topk 10→8");
        assertThat(before.path("content").asText()).contains("learning_rate: 0.1\n", "topk: 8 ");
        assertThat(before.path("replaced_by").asLong()).isEqualTo(labelled.path("id").asLong());

        long id = Tasks.submit(api, "{\"loop_n\": 1, \"source_history_ids\": [" + labelled.path("id").asLong() + "],"
                + " \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
        JsonNode task = Tasks.awaitFinished(api, id, Duration.ofSeconds(90));

        assertThat(task.path("config").path(FILE).path("version_id").asLong()).isEqualTo(labelled.path("id").asLong());
        String runLog = Files.readString(Path.of(task.path("workspace_path").asText()).resolve("run.log"));
        assertThat(runLog).contains("Template conf_baseline.yaml values: topk=8 n_drop=2 learning_rate=0.05");
    }

    @Test
    void aNoteIsStoredExactlyAsTyped() throws IOException {
        String original = new String(liveBytes(FILE), StandardCharsets.UTF_8);
        String sha = sha256(original);
        for (String note : List.of(" \u3000", "  lr 0.1→0.05  ", "")) {
            String content = original + "# note " + note.length() + "\n";
            JsonNode written = ok(write(content, sha, note));
            assertThat(ok(api.get("/api/rdagent/templates/history/" + written.path("version_id").asLong()))
                    .path("note").isTextual()).as("'%s' kept, not nulled", note).isTrue();
            assertThat(ok(api.get("/api/rdagent/templates/history/" + written.path("version_id").asLong()))
                    .path("note").asText()).isEqualTo(note);
            sha = written.path("sha256").asText();
        }

        for (String note : List.of("two\nlines", "tab\there", "x".repeat(501))) {
            Api.Response refused = write(original, sha, note);
            assertThat(refused.status()).as(note).isEqualTo(400);
            assertThat(refused.json().path("field").asText()).isEqualTo("note");
        }
        assertThat(sha256(liveBytes(FILE))).as("nothing written by a refused note").isEqualTo(sha);
    }

    @Test
    void aScheduleNameIsStoredExactlyOrRefused() {
        String task = "\"cron\": \"0 0 9 * * ?\", \"task\": {\"loop_n\": 1}";
        Api.Response blank = api.post("/api/rdagent/schedules", "{\"name\": \" \u3000\", " + task + "}");
        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.json().path("field").asText()).isEqualTo("name");

        Api.Response spaced = api.post("/api/rdagent/schedules", "{\"name\": \"  lineage  \", " + task + "}");
        assertThat(spaced.status()).as(spaced.body()).isEqualTo(201);
        long id = spaced.json().path("id").asLong();
        try {
            assertThat(api.get("/api/rdagent/schedules/" + id).json().path("name").asText()).isEqualTo("  lineage  ");
        } finally {
            api.delete("/api/rdagent/schedules/" + id);
        }
    }

    private Api.Response write(String content, String expectedSha256, String note) {
        Map<String, Object> body = new HashMap<>(Map.of("content", content, "expected_sha256", expectedSha256));
        body.put("note", note);
        return api.put("/api/rdagent/templates/content?file=" + FILE, Api.json(body));
    }
}
