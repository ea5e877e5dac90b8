package com.aistock.rdagent.schedule;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.aistock.rdagent.config.RdAgentFiles;
import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.Tasks;
import com.aistock.rdagent.system.Hashes;
import com.aistock.rdagent.system.RdAgentInstallation;
import com.aistock.rdagent.system.SchedulerProperties;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** Config pinning: fixed history versions keep a schedule's runs on them; current follows the live files. */
class SchedulePinningTest extends ScheduleTestSupport {

    private static final String FILE = RdAgentFiles.TEMPLATES.get(0);

    @Autowired
    RdAgentInstallation installation;

    @Autowired
    SchedulerProperties properties;

    @Autowired
    CamelContext camelContext;

    @Test
    void aPinnedScheduleRunsItsHistoryVersionAfterTheLiveTemplateChanged() throws IOException {
        Path live = installation.home().resolve(FILE);
        String original = Files.readString(live);
        long historyId = backup(original);
        try {
            long pinned = create(schedule("pinned", ScheduleFiringTest.EVERY_2_SECONDS,
                    "\"overlap_policy\": \"queue\", \"config_pin\": {\"mode\": \"fixed\", \"history_ids\": ["
                            + historyId + "]}, \"task\": " + QUICK_TASK)).path("id").asLong();
            OffsetDateTime edited = OffsetDateTime.now();
            Files.writeString(live, original + "\n# edited after the schedule was saved\n");
            String liveSha = Hashes.sha256(live);
            NotifyBuilder fired = new NotifyBuilder(camelContext).fromRoute("run-schedule").whenDone(1).create();

            assertThat(fired.matches(10, TimeUnit.SECONDS)).as("a fire after the edit").isTrue();
            api.post(PATH + "/" + pinned + "/pause", "");
            long task = jdbc.queryForObject(
                    "SELECT id FROM rdagent_task WHERE schedule_id = ? AND created_at > ? ORDER BY id LIMIT 1",
                    Long.class, pinned, edited);

            JsonNode run = Tasks.awaitStatus(api, task, "SUCCEEDED", Duration.ofSeconds(90));
            assertThat(run.path("params").path("source_history_ids").get(0).asLong()).isEqualTo(historyId);
            assertThat(run.path("config").path(FILE).path("history_id").asLong()).isEqualTo(historyId);
            assertThat(run.path("config").path(FILE).path("source_sha256").asText())
                    .isEqualTo(Hashes.sha256(original.getBytes(StandardCharsets.UTF_8))).isNotEqualTo(liveSha);
            Path used = Path.of(run.path("workspace_path").asText(), "config", RdAgentFiles.fileName(FILE));
            assertThat(Files.readString(used)).isEqualTo(original);

            // the same template with the current pin takes the live file
            long current = create(schedule("current", ScheduleFiringTest.EVERY_2_SECONDS,
                    "\"enabled\": false, \"task\": " + QUICK_TASK)).path("id").asLong();
            Api.Response ran = api.post(PATH + "/" + current + "/run-now", "");
            assertThat(ran.status()).as(ran.body()).isEqualTo(201);
            assertThat(ran.json().path("config").path(FILE).path("history_id").isNull()).isTrue();
            assertThat(ran.json().path("config").path(FILE).path("source_sha256").asText()).isEqualTo(liveSha);
        } finally {
            Files.writeString(live, original);
        }
    }

    /** A version the config center replaced, as it records one: its copy under history/ and its row. */
    private long backup(String content) throws IOException {
        Path relative = Path.of("20240101", "20240101T000000000_manual_" + UUID.randomUUID() + "_"
                + RdAgentFiles.fileName(FILE));
        Path copy = properties.history().resolve(relative);
        Files.createDirectories(copy.getParent());
        Files.writeString(copy, content);
        return jdbc.queryForObject("""
                INSERT INTO rdagent_template_history (file, history_path, sha256, operator, note, kind, replaced_at)
                VALUES (?, ?, ?, 'test', 'pinned by a schedule', 'write', now()) RETURNING id""",
                Long.class, FILE, relative.toString(), Hashes.sha256(copy));
    }
}
