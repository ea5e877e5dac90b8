package com.aistock.rdagent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import com.aistock.rdagent.support.Api;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** RD-Agent's .env over HTTP: secrets never leave the service, edits keep the file's layout. */
class EnvApiTest extends ConfigIntegrationTest {

    private static final String DEMO_KEY = "sk-demo-not-a-real-key";
    private static final String NEW_KEY = "sk-new-secret-0123456789";

    private Api.Response putEnv(Map<String, Object> entries, String expectedSha256) {
        return api.put("/api/rdagent/env", Api.json(Map.of("entries", entries, "expected_sha256", expectedSha256,
                "note", "test edit")));
    }

    @Test
    void theEnvIsShownWithoutItsSecrets() throws IOException {
        Api.Response response = api.get("/api/rdagent/env");
        JsonNode env = ok(response);

        assertThat(response.body()).doesNotContain(DEMO_KEY);
        JsonNode key = entry(env, "OPENAI_API_KEY");
        assertThat(key.path("value").asText()).isEqualTo("******");
        assertThat(key.path("secret").asBoolean()).isTrue();
        assertThat(entry(env, "CHAT_MODEL").path("value").asText()).isEqualTo("gpt-4o");
        assertThat(entry(env, "CHAT_MODEL").path("secret").asBoolean()).isFalse();
        assertThat(entry(env, "BACKEND").path("comment").asText()).isEqualTo("--- LLM ---");
        assertThat(env.path("sha256").asText()).isEqualTo(sha256(liveOf()));
    }

    @Test
    void sendingTheMaskBackKeepsTheSecretAndOnlyTheEditedLineChanges() throws IOException {
        byte[] original = liveOf();
        String text = new String(original, StandardCharsets.UTF_8);

        JsonNode written = ok(putEnv(Map.of("OPENAI_API_KEY", "******", "CHAT_MODEL", "gpt-4o-mini"), sha256(original)));

        assertThat(written.path("changed").asBoolean()).isTrue();
        assertThat(new String(liveOf(), StandardCharsets.UTF_8))
                .isEqualTo(text.replace("CHAT_MODEL=gpt-4o\n", "CHAT_MODEL=gpt-4o-mini\n"))
                .contains("OPENAI_API_KEY=" + DEMO_KEY + "\n");
        assertThat(Files.getPosixFilePermissions(live(RdAgentFiles.ENV)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void historyListingVersionAndDiffNeverShowASecret() throws IOException {
        byte[] original = liveOf();
        JsonNode written = ok(putEnv(Map.of("OPENAI_API_KEY", NEW_KEY), sha256(original)));
        long historyId = written.path("history_id").asLong();

        Api.Response listing = api.get("/api/rdagent/env/history");
        Api.Response version = api.get("/api/rdagent/env/history/" + historyId);
        Api.Response diff = api.get("/api/rdagent/env/diff?from=" + historyId);

        for (Api.Response response : new Api.Response[]{listing, version, diff}) {
            assertThat(ok(response)).isNotNull();
            assertThat(response.body()).doesNotContain(DEMO_KEY, NEW_KEY);
        }
        assertThat(listing.json().path("items").get(0).path("id").asLong()).isEqualTo(written.path("version_id").asLong());
        assertThat(listing.json().path("items").get(1).path("id").asLong()).isEqualTo(historyId);
        assertThat(listing.json().path("items").get(0).path("file").asText()).isEqualTo(".env");
        assertThat(version.json().path("content").asText()).contains("OPENAI_API_KEY=******");
        assertThat(diff.json().path("changed").asBoolean()).isTrue();
        JsonNode backup = version.json();
        assertThat(historyFile(backup)).hasBinaryContent(original);
        assertThat(Files.getPosixFilePermissions(historyFile(backup)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(new String(liveOf(), StandardCharsets.UTF_8)).contains("OPENAI_API_KEY=" + NEW_KEY + "\n");

        JsonNode rolledBack = ok(api.post("/api/rdagent/env/rollback", Api.json(Map.of(
                "history_id", historyId, "expected_sha256", written.path("sha256").asText(), "note", "key revoked"))));

        assertThat(rolledBack.path("changed").asBoolean()).isTrue();
        assertThat(liveOf()).isEqualTo(original);
    }

    @Test
    void knownKeysAreValidated() throws IOException {
        byte[] original = liveOf();
        Map<String, String> refused = Map.of(
                "OPENAI_API_BASE", "not a url",
                "MAX_RETRY", "ten",
                "QLIB_FACTOR_TRAIN_START", "2015-13-01",
                "USE_CHAT_CACHE", "maybe");

        refused.forEach((key, value) -> {
            Api.Response response = putEnv(Map.of(key, value), sha256(original));
            assertThat(response.status()).as(key).isEqualTo(400);
            assertThat(response.json().path("error").asText()).isEqualTo("validation");
            assertThat(response.json().path("field").asText()).isEqualTo("entries." + key);
        });
        assertThat(liveOf()).isEqualTo(original);
    }

    @Test
    void nullRemovesAKeyAndANewKeyIsAppended() throws IOException {
        byte[] original = liveOf();
        Map<String, Object> entries = new HashMap<>();
        entries.put("MODEL_COSTEER_ENV_TYPE", null);
        entries.put("CHAT_STREAM", "False");

        ok(putEnv(entries, sha256(original)));

        String text = new String(liveOf(), StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("MODEL_COSTEER_ENV_TYPE").endsWith("export CHAT_TEMPERATURE=0.5\nCHAT_STREAM=False\n");
        JsonNode env = ok(api.get("/api/rdagent/env"));
        assertThat(env.path("entries").findValuesAsText("key")).doesNotContain("MODEL_COSTEER_ENV_TYPE").contains("CHAT_STREAM");
    }

    @Test
    void aStaleShaIsAConflict() throws IOException {
        byte[] original = liveOf();

        Api.Response stale = putEnv(Map.of("CHAT_MODEL", "other"), sha256("not the file"));

        assertThat(stale.status()).isEqualTo(409);
        assertThat(liveOf()).isEqualTo(original);
    }

    @Test
    void aStaleIfMatchIsAConflict() throws IOException {
        byte[] original = liveOf();
        int versions = historyTotal();

        Api.Response stale = withIfMatch("PUT", "/api/rdagent/env", Api.json(Map.of("entries", Map.of("CHAT_MODEL", "other"))),
                sha256("not the file"));

        assertThat(stale.status()).as(stale.body()).isEqualTo(409);
        assertThat(stale.json().path("error").asText()).isEqualTo("conflict");
        assertThat(liveOf()).isEqualTo(original);
        assertThat(historyTotal()).isEqualTo(versions);
    }

    /** A rollback based on a version someone has since replaced is refused, by body or If-Match alike. */
    @Test
    void aStaleRollbackIsAConflict() throws IOException {
        JsonNode mine = ok(putEnv(Map.of("CHAT_MODEL", "mine"), sha256(liveOf())));
        ok(putEnv(Map.of("CHAT_MODEL", "theirs"), mine.path("sha256").asText()));
        byte[] theirs = liveOf();
        int versions = historyTotal();

        assertStaleRollbacksConflict("/api/rdagent/env/rollback", mine.path("history_id").asLong(),
                mine.path("sha256").asText());

        assertThat(liveOf()).isEqualTo(theirs);
        assertThat(historyTotal()).isEqualTo(versions);
    }

    private int historyTotal() {
        return ok(api.get("/api/rdagent/env/history?size=1")).path("total").asInt();
    }

    private byte[] liveOf() throws IOException {
        return liveBytes(RdAgentFiles.ENV);
    }

    private static JsonNode entry(JsonNode env, String key) {
        for (JsonNode entry : env.path("entries")) {
            if (entry.path("key").asText().equals(key)) {
                return entry;
            }
        }
        throw new AssertionError("no entry " + key + " in " + env);
    }
}
