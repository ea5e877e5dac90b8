package com.aistock.rdagent.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.Tasks;
import com.aistock.rdagent.system.Hashes;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each run reads the template snapshot taken when its task was created, through the overlay; the live file under
 * RDAGENT_HOME is never written by a run, and two runs at once can use different versions.
 */
class TemplateOverlayTest extends IntegrationTest {

    private static final String BASELINE = "rdagent/scenarios/qlib/experiment/factor_template/conf_baseline.yaml";
    private static final Duration RUN = Duration.ofSeconds(90);

    @Test
    void eachRunReadsItsOwnSnapshotWhileTheLiveFileChanges() throws IOException {
        Path live = base().resolve("data/demo-rdagent").resolve(BASELINE);
        byte[] original = Files.readAllBytes(live);
        try {
            // both worker slots busy, so the two tasks below wait as PENDING with their snapshots taken
            long blockerA = Tasks.submit(api, blocker());
            long blockerB = Tasks.submit(api, blocker());
            Tasks.awaitStatus(api, blockerA, "RUNNING", RUN);
            Tasks.awaitStatus(api, blockerB, "RUNNING", RUN);

            long before = Tasks.submit(api, quickRun());
            byte[] edited = (new String(original) + "\n# edited after task " + before + " was created\n").getBytes();
            Files.write(live, edited);
            long after = Tasks.submit(api, quickRun());

            api.post("/api/rdagent/tasks/" + blockerA + "/cancel", "");
            api.post("/api/rdagent/tasks/" + blockerB + "/cancel", "");
            JsonNode first = Tasks.awaitStatus(api, before, "SUCCEEDED", RUN);
            JsonNode second = Tasks.awaitStatus(api, after, "SUCCEEDED", RUN);

            String originalSha = Hashes.sha256(original);
            String editedSha = Hashes.sha256(edited);
            assertThat(first.path("config").path(BASELINE).path("sha256").asText()).isEqualTo(originalSha);
            assertThat(second.path("config").path(BASELINE).path("sha256").asText()).isEqualTo(editedSha);
            assertThat(first.path("config_hash").asText()).isNotEqualTo(second.path("config_hash").asText());
            assertThat(runLog(first)).contains("Template conf_baseline.yaml sha256=" + originalSha)
                    .doesNotContain(editedSha);
            assertThat(runLog(second)).contains("Template conf_baseline.yaml sha256=" + editedSha);
            assertThat(runLog(first)).contains("path=" + first.path("workspace_path").asText() + "/overlay/" + BASELINE);
            assertThat(Files.readAllBytes(live)).as("runs never write the live template").isEqualTo(edited);

            // they ran side by side: each started before the other finished
            assertThat(first.path("started_at").asText()).isLessThan(second.path("finished_at").asText());
            assertThat(second.path("started_at").asText()).isLessThan(first.path("finished_at").asText());
        } finally {
            Files.write(live, original);
        }
    }

    @Test
    void theOverlayMirrorsRdAgentAndOnlyTemplatesAreCopies() throws IOException {
        long id = Tasks.submit(api, "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
        JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", RUN);
        Path overlay = Path.of(task.path("workspace_path").asText(), "overlay");
        Path home = base().resolve("data/demo-rdagent");

        assertThat(overlay.resolve("rdagent/app")).isSymbolicLink();
        assertThat(Files.readSymbolicLink(overlay.resolve("rdagent/app"))).isEqualTo(home.resolve("rdagent/app"));
        assertThat(overlay.resolve("rdagent/scenarios/qlib/experiment")).isDirectory();
        assertThat(Files.isSymbolicLink(overlay.resolve("rdagent/scenarios/qlib/experiment"))).isFalse();
        assertThat(overlay.resolve("rdagent/scenarios/qlib/experiment/factor_experiment.py")).isSymbolicLink();
        assertThat(overlay.resolve("rdagent/scenarios/qlib/experiment/factor_template/read_exp_res.py")).isSymbolicLink();
        Path copy = overlay.resolve(BASELINE);
        assertThat(Files.isSymbolicLink(copy)).isFalse();
        assertThat(Hashes.sha256(copy)).isEqualTo(task.path("config").path(BASELINE).path("sha256").asText());
    }

    private static String runLog(JsonNode task) throws IOException {
        return Files.readString(Path.of(task.path("workspace_path").asText(), "run.log"));
    }

    private static String blocker() {
        return "{\"loop_n\": 100, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"1\"}}";
    }

    private static String quickRun() {
        return "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0.4\"}}";
    }
}
