package com.aistock.rdagent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.aistock.rdagent.support.Api;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Template writes over HTTP: backup first, conflict detection, validation, history, diff and rollback. */
class TemplateApiTest extends ConfigIntegrationTest {

    private static final String FILE = RdAgentFiles.TEMPLATES.get(0);
    private static final String NAME = RdAgentFiles.fileName(FILE);

    @Test
    void aWriteBacksUpThePreviousContentAndARollbackPutsItBack() throws IOException {
        byte[] original = liveBytes(FILE);
        String before = LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE);
        JsonNode shown = ok(api.get("/api/rdagent/templates/content?file=" + FILE));
        assertThat(shown.path("content").asText()).isEqualTo(new String(original, StandardCharsets.UTF_8));
        assertThat(shown.path("sha256").asText()).isEqualTo(sha256(original));
        String edited = shown.path("content").asText().replace("topk: 10 ", "topk: 20 ");

        JsonNode written = ok(putTemplate(FILE, edited, sha256(original)));

        assertThat(written.path("changed").asBoolean()).isTrue();
        assertThat(written.path("sha256").asText()).isEqualTo(sha256(edited));
        assertThat(liveBytes(FILE)).isEqualTo(edited.getBytes(StandardCharsets.UTF_8));
        JsonNode backup = ok(api.get("/api/rdagent/templates/history/" + written.path("history_id").asLong()));
        String after = LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE);
        assertThat(backup.path("history_path").asText())
                .matches("(" + before + "|" + after + ")/\\d{8}T\\d{9}(-\\d+)?_manual_" + Pattern.quote(NAME));
        assertThat(backup.path("history_path").asText().substring(0, 8))
                .isEqualTo(backup.path("history_path").asText().substring(9, 17));
        assertThat(historyFile(backup)).hasBinaryContent(original);
        assertThat(backup.path("sha256").asText()).isEqualTo(sha256(original));
        assertThat(backup.path("file").asText()).isEqualTo(FILE);
        assertThat(backup.path("content").asText()).isEqualTo(new String(original, StandardCharsets.UTF_8));
        assertThat(backup.path("current").asBoolean()).isFalse();
        assertThat(backup.path("replaced_by").asLong()).isEqualTo(written.path("version_id").asLong());
        assertThat(backup.path("replaced_at").isTextual()).isTrue();
        // the version the write produced carries the write's own note
        JsonNode produced = ok(api.get("/api/rdagent/templates/history/" + written.path("version_id").asLong()));
        assertThat(produced.path("kind").asText()).isEqualTo("write");
        assertThat(produced.path("note").asText()).isEqualTo("test edit");
        assertThat(produced.path("operator").asText()).isEqualTo("admin");
        assertThat(produced.path("content").asText()).isEqualTo(edited);
        assertThat(produced.path("current").asBoolean()).isTrue();
        assertThat(produced.path("history_path").isNull()).as("not replaced yet").isTrue();
        assertThat(written.path("validated_by").asText()).startsWith("Jinja2 ");

        JsonNode diff = ok(api.get("/api/rdagent/templates/diff?file=" + FILE + "&from=" + backup.path("id").asLong()));
        assertThat(diff.path("changed").asBoolean()).isTrue();
        assertThat(diff.path("diff").asText())
                .contains("--- " + FILE + "@" + backup.path("id").asLong(), "+++ " + FILE + "@current")
                .contains("\n-      topk: 10 ", "\n+      topk: 20 ");
        assertThat(diff.path("diff").asText().lines().filter(l -> l.matches("^[-+][^-+].*"))).hasSize(2);

        JsonNode rolledBack = ok(api.post("/api/rdagent/templates/rollback", Api.json(Map.of(
                "history_id", backup.path("id").asLong(), "expected_sha256", sha256(edited), "note", "undo"))));

        assertThat(rolledBack.path("changed").asBoolean()).isTrue();
        assertThat(rolledBack.path("sha256").asText()).isEqualTo(sha256(original));
        assertThat(liveBytes(FILE)).isEqualTo(original);
        assertThat(rolledBack.path("history_id").asLong()).isEqualTo(produced.path("id").asLong());
        JsonNode replacedEdit = ok(api.get("/api/rdagent/templates/history/" + produced.path("id").asLong()));
        assertThat(historyFile(replacedEdit)).hasBinaryContent(edited.getBytes(StandardCharsets.UTF_8));
        assertThat(replacedEdit.path("note").asText()).as("its own note, still").isEqualTo("test edit");
        JsonNode rollback = ok(api.get("/api/rdagent/templates/history/" + rolledBack.path("version_id").asLong()));
        assertThat(rollback.path("kind").asText()).isEqualTo("rollback");
        assertThat(rollback.path("note").asText()).isEqualTo("undo");
        assertThat(rollback.path("sha256").asText()).isEqualTo(sha256(original));
        List<JsonNode> history = templateHistory(FILE);
        assertThat(history.get(0).path("id").asLong()).isEqualTo(rolledBack.path("version_id").asLong());
        assertThat(history.get(1).path("id").asLong()).isEqualTo(produced.path("id").asLong());
        assertThat(history.get(2).path("id").asLong()).isEqualTo(backup.path("id").asLong());
        JsonNode firstPage = ok(api.get("/api/rdagent/templates/history?size=1&file=" + FILE));
        assertThat(firstPage.path("items")).hasSize(1);
        assertThat(firstPage.path("total").asLong()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aRollbackNeedsAReason() throws IOException {
        byte[] original = liveBytes(FILE);
        JsonNode written = ok(putTemplate(FILE, new String(original, StandardCharsets.UTF_8) + "# reason test\n", sha256(original)));

        for (Object note : new Object[]{null, "", " \u3000"}) {
            Map<String, Object> body = new java.util.HashMap<>(Map.of("history_id", written.path("history_id").asLong(),
                    "expected_sha256", written.path("sha256").asText()));
            body.put("note", note);
            Api.Response refused = api.post("/api/rdagent/templates/rollback", Api.json(body));
            assertThat(refused.status()).as(String.valueOf(note)).isEqualTo(400);
            assertThat(refused.json().path("field").asText()).isEqualTo("note");
        }
        assertThat(liveBytes(FILE)).isNotEqualTo(original);
    }

    @Test
    void identicalContentWritesNothing() throws IOException {
        byte[] original = liveBytes(FILE);
        int rows = templateHistory(FILE).size();

        JsonNode written = ok(putTemplate(FILE, new String(original, StandardCharsets.UTF_8), sha256(original)));

        assertThat(written.path("changed").asBoolean()).isFalse();
        assertThat(written.path("history_id").isNull()).isTrue();
        assertThat(templateHistory(FILE)).hasSize(rows);
    }

    @Test
    void aStaleShaIsAConflictAndNothingIsWritten() throws IOException {
        byte[] original = liveBytes(FILE);
        int rows = templateHistory(FILE).size();

        Api.Response stale = putTemplate(FILE, new String(original, StandardCharsets.UTF_8) + "# more\n", sha256("older"));

        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.json().path("error").asText()).isEqualTo("conflict");
        assertThat(liveBytes(FILE)).isEqualTo(original);
        assertThat(templateHistory(FILE)).hasSize(rows);
    }

    @Test
    void theExpectedShaMayComeAsAnIfMatchHeader() throws IOException {
        byte[] original = liveBytes(FILE);
        String edited = new String(original, StandardCharsets.UTF_8) + "# via If-Match\n";

        Api.Response response = withIfMatch("PUT", "/api/rdagent/templates/content?file=" + FILE,
                Api.json(Map.of("content", edited)), sha256(original));

        assertThat(ok(response).path("changed").asBoolean()).isTrue();
        assertThat(liveBytes(FILE)).isEqualTo(edited.getBytes(StandardCharsets.UTF_8));
        assertThat(api.put("/api/rdagent/templates/content?file=" + FILE, Api.json(Map.of("content", "x"))).json()
                .path("field").asText()).isEqualTo("expected_sha256");
    }

    @Test
    void aStaleIfMatchIsAConflictAndNothingIsWritten() throws IOException {
        byte[] original = liveBytes(FILE);
        int rows = templateHistory(FILE).size();

        Api.Response stale = withIfMatch("PUT", "/api/rdagent/templates/content?file=" + FILE,
                Api.json(Map.of("content", new String(original, StandardCharsets.UTF_8) + "# stale\n")), sha256("older"));

        assertThat(stale.status()).as(stale.body()).isEqualTo(409);
        assertThat(stale.json().path("error").asText()).isEqualTo("conflict");
        assertThat(liveBytes(FILE)).isEqualTo(original);
        assertThat(templateHistory(FILE)).hasSize(rows);
    }

    /** A rollback based on a version someone has since replaced is refused, by body or If-Match alike. */
    @Test
    void aStaleRollbackIsAConflictAndNothingIsWritten() throws IOException {
        String original = new String(liveBytes(FILE), StandardCharsets.UTF_8);
        JsonNode mine = ok(putTemplate(FILE, original + "# mine\n", sha256(original)));
        ok(putTemplate(FILE, original + "# theirs\n", mine.path("sha256").asText()));
        byte[] theirs = liveBytes(FILE);
        int rows = templateHistory(FILE).size();

        assertStaleRollbacksConflict("/api/rdagent/templates/rollback", mine.path("history_id").asLong(),
                mine.path("sha256").asText());

        assertThat(liveBytes(FILE)).isEqualTo(theirs);
        assertThat(templateHistory(FILE)).hasSize(rows);
    }

    static Stream<Arguments> brokenTemplates() {
        return Stream.of(
                Arguments.of("a YAML error", "benchmark: &benchmark SH000300", "benchmark: [SH000300",
                        "(loading the rendered YAML"),
                Arguments.of("a Jinja syntax error", "end_time: {{ test_end | default(\"2020-12-31\", true) }}",
                        "end_time: {{ test_end | default(\"2020-12-31\", true) }", "(rendering"),
                Arguments.of("no segments", "segments:", "splits:", "missing task.dataset.kwargs.segments."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenTemplates")
    void aBrokenTemplateIsRefusedWithItsLineAndNothingChanges(String what, String line, String broken, String message)
            throws IOException {
        byte[] original = liveBytes(FILE);
        int rows = templateHistory(FILE).size();
        String content = new String(original, StandardCharsets.UTF_8);
        assertThat(content).contains(line);

        Api.Response refused = putTemplate(FILE, content.replaceFirst(Pattern.quote(line), broken), sha256(original));

        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.json().path("error").asText()).isEqualTo("unprocessable");
        assertThat(refused.json().path("message").asText()).as("judged by the engine that renders")
                .startsWith("Jinja2 ").contains(message);
        assertThat(refused.json().path("line").asInt()).isPositive();
        assertThat(liveBytes(FILE)).isEqualTo(original);
        assertThat(templateHistory(FILE)).hasSize(rows);
    }

    @Test
    void promptFilesAreListedShownAndBackedUpButNeverWritten() throws IOException {
        JsonNode list = ok(api.get("/api/rdagent/templates"));

        assertThat(list).hasSize(8);
        assertThat(list.findParents("editable").stream().map(item -> item.path("file").asText())).containsExactlyElementsOf(
                Stream.concat(RdAgentFiles.TEMPLATES.stream(), RdAgentFiles.PROMPTS.stream()).toList());
        assertThat(list.findValues("editable").stream().filter(JsonNode::asBoolean)).hasSize(5);
        assertThat(list.get(0).path("version").path("current").asBoolean()).isTrue();
        assertThat(list.get(0).path("sha256").asText()).isEqualTo(sha256(liveBytes(FILE)));
        assertThat(list.get(0).path("size").asLong()).isEqualTo(liveBytes(FILE).length);
        assertThat(list.get(0).path("mtime").isTextual()).isTrue();
        String prompt = RdAgentFiles.PROMPTS.get(0);
        byte[] promptBytes = liveBytes(prompt);
        List<JsonNode> promptHistory = templateHistory(prompt);
        assertThat(promptHistory).isNotEmpty();
        assertThat(promptHistory.get(0).path("sha256").asText()).isEqualTo(sha256(promptBytes));
        assertThat(historyFile(promptHistory.get(0))).hasBinaryContent(promptBytes);

        Api.Response write = putTemplate(prompt, "changed: true\n", sha256(promptBytes));

        assertThat(write.status()).isEqualTo(400);
        assertThat(write.json().path("field").asText()).isEqualTo("file");
        assertThat(liveBytes(prompt)).isEqualTo(promptBytes);
        ok(api.get("/api/rdagent/templates"));
        assertThat(templateHistory(prompt)).as("an unchanged prompt file is saved once").hasSize(promptHistory.size());
    }

    @Test
    void theThreePromptFilesHaveThreeHistoryNames() {
        JsonNode list = ok(api.get("/api/rdagent/templates"));
        List<String> names = new java.util.ArrayList<>();
        for (String prompt : RdAgentFiles.PROMPTS) {
            JsonNode item = list.findParents("file").stream().filter(f -> f.path("file").asText().equals(prompt))
                    .findFirst().orElseThrow();
            String name = item.path("name").asText();
            names.add(name);
            assertThat(name).endsWith("prompts.yaml");
            JsonNode saved = templateHistory(prompt).get(0);
            assertThat(saved.path("name").asText()).isEqualTo(name);
            assertThat(saved.path("history_path").asText()).endsWith("_manual_" + name);
        }
        assertThat(names).containsExactly("qlib.prompts.yaml", "qlib.experiment.prompts.yaml",
                "qlib.factor_experiment_loader.prompts.yaml");
    }

    @Test
    void onlyManagedFilesCanBeNamed() {
        for (String file : List.of("../../../../etc/passwd", ".env", "rdagent/app/cli.py", "")) {
            Api.Response refused = api.get("/api/rdagent/templates/content?file=" + file);
            assertThat(refused.status()).as(file).isEqualTo(400);
            assertThat(refused.json().path("field").asText()).isEqualTo("file");
        }
    }

    @Test
    void theConsistencyReportNamesTheTemplateWhoseMarketChanged() throws IOException {
        JsonNode clean = ok(api.get("/api/rdagent/templates/validate"));
        assertThat(clean.path("valid").asBoolean()).as(clean.toPrettyString()).isTrue();
        assertThat(clean.path("differences")).isEmpty();
        String changed = RdAgentFiles.TEMPLATES.get(2);
        byte[] original = liveBytes(changed);
        ok(putTemplate(changed, TemplateEdits.setScalar(new String(original, StandardCharsets.UTF_8), "market", "csi500"),
                sha256(original)));

        JsonNode report = ok(api.get("/api/rdagent/templates/validate"));

        assertThat(report.path("valid").asBoolean()).isFalse();
        assertThat(report.path("differences")).hasSize(1);
        JsonNode difference = report.path("differences").get(0);
        assertThat(difference.path("file").asText()).isEqualTo(changed);
        assertThat(difference.path("key").asText()).isEqualTo("market");
        assertThat(difference.path("value").asText()).isEqualTo("csi500");
        assertThat(difference.path("expected").asText()).isEqualTo("csi300");
    }
}
