package com.aistock.rdagent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A task can run a saved template version while the live file stays as it is. */
class TaskConfigVersionTest extends ConfigIntegrationTest {

    private static final String FILE = RdAgentFiles.TEMPLATES.get(0);

    @Test
    void aTaskRunsTheHistoricVersionItNames() throws IOException {
        byte[] original = liveBytes(FILE);
        String edited = new String(original, StandardCharsets.UTF_8) + "# the current version\n";
        long historyId = ok(putTemplate(FILE, edited, sha256(original))).path("history_id").asLong();

        long id = Tasks.submit(api, "{\"loop_n\": 1, \"source_history_ids\": [" + historyId + "],"
                + " \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
        JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofSeconds(90));

        JsonNode version = task.path("config").path(FILE);
        assertThat(version.path("history_id").asLong()).isEqualTo(historyId);
        assertThat(version.path("source_sha256").asText()).isEqualTo(sha256(original));
        assertThat(task.path("config").path(RdAgentFiles.TEMPLATES.get(1)).path("history_id").isNull()).isTrue();
        Path workspace = Path.of(task.path("workspace_path").asText());
        assertThat(Files.readString(workspace.resolve("run.log")))
                .contains("Template " + RdAgentFiles.fileName(FILE) + " sha256=" + version.path("sha256").asText());
        JsonNode manifest = new ObjectMapper().readTree(workspace.resolve("config/manifest.json").toFile());
        assertThat(manifest.path(FILE).path("history_id").asLong()).isEqualTo(historyId);
        assertThat(liveBytes(FILE)).isEqualTo(edited.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theCamelCaseAliasNamesVersionsToo() throws IOException {
        byte[] original = liveBytes(FILE);
        long historyId = ok(putTemplate(FILE, new String(original, StandardCharsets.UTF_8) + "# v2\n", sha256(original)))
                .path("history_id").asLong();

        Api.Response created = api.post("/api/rdagent/tasks", "{\"loop_n\": 1, \"sourceHistoryId\": " + historyId
                + ", \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("config").path(FILE).path("history_id").asLong()).isEqualTo(historyId);
        Tasks.awaitFinished(api, created.json().path("id").asLong(), Duration.ofSeconds(90));
    }
}
