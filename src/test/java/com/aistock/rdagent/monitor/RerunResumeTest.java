package com.aistock.rdagent.monitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.aistock.rdagent.config.RdAgentFiles;
import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A stopped run continues from RD-Agent's checkpoint; a rerun repeats exactly the same configuration. */
class RerunResumeTest extends IntegrationTest {

    @Test
    void resumeAfterCancellingInLoopTwoContinuesFromTheCheckpoint() throws IOException {
        long id = Tasks.submit(api, "{\"loop_n\": 4, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0.4\"}}");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(() -> Tasks.get(api, id).path("progress").path("loop").asInt(-1) >= 2);
        api.post("/api/rdagent/tasks/" + id + "/cancel", "");
        JsonNode cancelled = Tasks.awaitStatus(api, id, "CANCELLED", Duration.ofSeconds(40));
        Path workspace = Path.of(cancelled.path("workspace_path").asText());
        assertThat(workspace.resolve("log/__session__")).isDirectory();

        Api.Response resume = api.post("/api/rdagent/tasks/" + id + "/resume", "");
        assertThat(resume.status()).as(resume.body()).isEqualTo(200);
        assertThat(resume.json().path("attempt").asInt()).isEqualTo(2);

        JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofSeconds(90));
        String log = Files.readString(workspace.resolve("run.log"));
        assertThat(log).contains("Loading latest session from " + workspace.resolve("log"))
                .contains("Simulator command line: rdagent fin_quant --loop-n 4 --path " + workspace.resolve("log"))
                .contains("Simulator finished: 4 loops");
        assertThat(log.indexOf("Simulator command line")).as("one continuous log: first attempt first")
                .isLessThan(log.indexOf("Loading latest session"));
        assertThat(task.path("workspace_path").asText()).isEqualTo(workspace.toString());

        Api.Response again = api.post("/api/rdagent/tasks/" + id + "/resume", "");
        assertThat(again.status()).isEqualTo(409);
    }

    /** The live template changes between the run and its rerun: the rerun still reads the original snapshot. */
    @Test
    void aRerunAfterTheLiveTemplatesChangedRunsTheOriginalSnapshot() throws IOException {
        String file = RdAgentFiles.TEMPLATES.get(0);
        long id = Tasks.submit(api, "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
        JsonNode original = Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofSeconds(60));
        String snapshot = original.path("config").path(file).path("sha256").asText();
        String path = "/api/rdagent/templates/content?file=" + file;
        JsonNode live = api.get(path).json();
        Api.Response edited = api.put(path, Api.json(Map.of("content", live.path("content").asText() + "# edited after the run\n",
                "expected_sha256", live.path("sha256").asText())));
        assertThat(edited.status()).as(edited.body()).isEqualTo(200);
        String editedSha = edited.json().path("sha256").asText();

        Api.Response rerun = api.post("/api/rdagent/tasks/" + id + "/rerun", "");

        assertThat(rerun.status()).as(rerun.body()).isEqualTo(201);
        JsonNode repeated = Tasks.awaitStatus(api, rerun.json().path("id").asLong(), "SUCCEEDED", Duration.ofSeconds(60));
        assertThat(repeated.path("config").path(file).path("sha256").asText()).isEqualTo(snapshot).isNotEqualTo(editedSha);
        assertThat(repeated.path("config_hash").asText()).isEqualTo(original.path("config_hash").asText());
        assertThat(Files.readString(Path.of(repeated.path("workspace_path").asText(), "run.log")))
                .as("what the simulator read").contains("Template " + RdAgentFiles.fileName(file) + " sha256=" + snapshot + " ")
                .doesNotContain(editedSha);
    }

    @Test
    void rerunRepeatsTheSameSnapshot() {
        long id = Tasks.submit(api, "{\"name\": \"original\", \"loop_n\": 1, \"n_epochs\": 7, "
                + "\"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
        JsonNode original = Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofSeconds(60));

        Api.Response rerun = api.post("/api/rdagent/tasks/" + id + "/rerun", "");

        assertThat(rerun.status()).isEqualTo(201);
        long copy = rerun.json().path("id").asLong();
        JsonNode repeated = Tasks.awaitStatus(api, copy, "SUCCEEDED", Duration.ofSeconds(60));
        assertThat(repeated.path("origin").asText()).isEqualTo("rerun");
        assertThat(repeated.path("rerun_of").asLong()).isEqualTo(id);
        assertThat(repeated.path("config_hash").asText()).isEqualTo(original.path("config_hash").asText());
        assertThat(repeated.path("params")).isEqualTo(original.path("params"));
        assertThat(api.post("/api/rdagent/tasks/99999999/rerun", "").status()).isEqualTo(404);
    }
}
