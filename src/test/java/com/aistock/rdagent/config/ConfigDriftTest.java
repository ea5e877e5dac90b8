package com.aistock.rdagent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Changes made outside the service: a hand edit becomes a drift version within seconds, the content it replaced
 * stays retrievable, and nothing is overwritten to repair it; RD-Agent's own backups are imported once.
 */
class ConfigDriftTest extends ConfigIntegrationTest {

    private static final String FILE = RdAgentFiles.TEMPLATES.get(2);

    @Test
    void aHandEditBecomesADriftVersionWithinTenSecondsAndTheNextWriteNeedsItsSha() throws IOException {
        JsonNode before = ok(api.get("/api/rdagent/templates/content?file=" + FILE));
        long previous = before.path("version").path("id").asLong();
        String old = before.path("content").asText();
        String edited = old + "# appended by hand\n";

        Files.writeString(live(FILE), edited);

        // the watch alone: nothing here asks the service about the file until the drift is recorded
        long drift = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> driftVersion(sha256(edited)), id -> id != null);
        JsonNode version = ok(api.get("/api/rdagent/templates/history/" + drift));
        assertThat(version.path("kind").asText()).isEqualTo("drift");
        assertThat(version.path("operator").asText()).isEqualTo("filesystem");
        assertThat(version.path("content").asText()).isEqualTo(edited);
        assertThat(version.path("current").asBoolean()).isTrue();
        JsonNode replaced = ok(api.get("/api/rdagent/templates/history/" + previous));
        assertThat(replaced.path("content").asText()).as("the last known content, kept").isEqualTo(old);
        assertThat(replaced.path("replaced_by").asLong()).isEqualTo(drift);
        assertThat(historyFile(replaced)).hasContent(old);
        assertThat(liveBytes(FILE)).as("nothing repaired").isEqualTo(edited.getBytes(StandardCharsets.UTF_8));

        // the console marks the file, and the audit trail names it
        JsonNode listed = ok(api.get("/api/rdagent/templates")).findParents("editable").stream()
                .filter(item -> item.path("file").asText().equals(FILE)).findFirst().orElseThrow();
        assertThat(listed.path("version").path("kind").asText()).isEqualTo("drift");
        assertThat(ok(api.get("/api/rdagent/audit?size=200")).path("items").findParents("method").stream()
                .filter(entry -> entry.path("method").asText().equals("DRIFT"))
                .map(entry -> entry.path("path").asText())).contains(FILE + "#" + drift);

        Api.Response stale = putTemplate(FILE, old + "# mine\n", before.path("sha256").asText());
        assertThat(stale.status()).isEqualTo(409);
        assertThat(liveBytes(FILE)).isEqualTo(edited.getBytes(StandardCharsets.UTF_8));
        JsonNode written = ok(putTemplate(FILE, edited + "# mine\n", sha256(edited)));
        assertThat(written.path("history_id").asLong()).isEqualTo(drift);
        assertThat(historyFile(ok(api.get("/api/rdagent/templates/history/" + drift)))).hasContent(edited);
    }

    @Test
    void aWriteOrASnapshotRightAfterAHandEditRecordsTheDriftFirst() throws IOException {
        String old = new String(liveBytes(FILE), StandardCharsets.UTF_8);
        String edited = old + "# edited just before a task\n";
        Files.writeString(live(FILE), edited);

        long id = Tasks.submit(api, "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");

        JsonNode task = ok(api.get("/api/rdagent/tasks/" + id));
        long version = task.path("config").path(FILE).path("version_id").asLong();
        assertThat(version).isEqualTo(driftVersion(sha256(edited)));
        assertThat(task.path("config").path(FILE).path("source_sha256").asText()).isEqualTo(sha256(edited));
        Tasks.awaitFinished(api, id, Duration.ofSeconds(90));

        String again = edited + "# and again\n";
        Files.writeString(live(FILE), again);
        JsonNode written = ok(putTemplate(FILE, again + "# through the API\n", sha256(again)));
        assertThat(written.path("history_id").asLong()).isEqualTo(driftVersion(sha256(again)));
    }

    @Test
    void aVersionMigratedWithoutContentTakesTheLiveOne() throws IOException {
        String file = RdAgentFiles.TEMPLATES.get(4);
        ok(api.get("/api/rdagent/templates/content?file=" + file));
        // what V30 leaves for a file's newest write: its note, no content yet
        Long pending = jdbc.queryForObject("INSERT INTO rdagent_template_history (file, operator, note, kind) "
                + "VALUES (?, 'alice', 'from before versions', 'write') RETURNING id", Long.class, file);

        JsonNode shown = ok(api.get("/api/rdagent/templates/content?file=" + file));

        assertThat(shown.path("version").path("id").asLong()).isEqualTo(pending);
        assertThat(shown.path("version").path("sha256").asText()).isEqualTo(sha256(liveBytes(file)));
        assertThat(shown.path("version").path("note").asText()).isEqualTo("from before versions");
        assertThat(ok(api.get("/api/rdagent/templates/history/" + pending)).path("content").asText())
                .isEqualTo(new String(liveBytes(file), StandardCharsets.UTF_8));
    }

    @Test
    void anRdAgentBackupBesideATemplateIsImportedOnceAsLegacyDatedByItsMtime() throws IOException {
        String template = RdAgentFiles.TEMPLATES.get(0);
        Path backup = live(template).resolveSibling(".backup_conf_baseline_20240501.yaml");
        String content = new String(liveBytes(template), StandardCharsets.UTF_8) + "# kept by RD-Agent's user\n";
        Instant mtime = Instant.parse("2024-05-01T02:30:00Z");
        Files.writeString(backup, content);
        Files.setLastModifiedTime(backup, FileTime.from(mtime));
        String source = installation.home().relativize(backup).toString();
        try {
            Long id = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> legacy(source), found -> !found.isEmpty()).get(0);

            // several more ticks of the watch, and a listing: still one
            await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(15)).until(() -> legacy(source).size() == 1);
            JsonNode version = templateHistory(template).stream().filter(v -> v.path("id").asLong() == id)
                    .findFirst().orElseThrow();
            assertThat(version.path("kind").asText()).isEqualTo("legacy");
            assertThat(version.path("current").asBoolean()).isFalse();
            assertThat(version.path("source_path").asText()).isEqualTo(source);
            assertThat(OffsetDateTime.parse(version.path("created_at").asText()).toInstant()).isEqualTo(mtime);
            assertThat(ok(api.get("/api/rdagent/templates/history/" + id)).path("content").asText()).isEqualTo(content);
            assertThat(backup).as("read-only: left as it was").hasContent(content);
        } finally {
            Files.deleteIfExists(backup);
        }
    }

    private Long driftVersion(String sha256) {
        List<Long> ids = jdbc.queryForList("SELECT id FROM rdagent_template_history WHERE file = ? AND kind = 'drift'"
                + " AND sha256 = ? ORDER BY id DESC", Long.class, FILE, sha256);
        return ids.isEmpty() ? null : ids.get(0);
    }

    private List<Long> legacy(String source) {
        return jdbc.queryForList("SELECT id FROM rdagent_template_history WHERE kind = 'legacy' AND source_path = ?",
                Long.class, source);
    }
}
