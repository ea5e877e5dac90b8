package com.aistock.rdagent.config;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.system.Hashes;
import com.aistock.rdagent.system.RdAgentInstallation;
import com.aistock.rdagent.system.SchedulerProperties;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The config center over HTTP on the running service's demo RD-Agent home. Every live file a test changes is put
 * back afterwards ({@link IntegrationTest}), because the other test classes share this home.
 */
abstract class ConfigIntegrationTest extends IntegrationTest {

    @Autowired
    protected RdAgentInstallation installation;

    @Autowired
    protected SchedulerProperties properties;

    /** Reconciles the history with the live files an earlier test put back behind the service's back. */
    @BeforeEach
    void reconcileLiveFiles() {
        ok(api.get("/api/rdagent/templates"));
        ok(api.get("/api/rdagent/env"));
    }

    protected Path live(String file) {
        return installation.home().resolve(file);
    }

    protected byte[] liveBytes(String file) throws IOException {
        return Files.readAllBytes(live(file));
    }

    protected static String sha256(byte[] content) {
        return Hashes.sha256(content);
    }

    protected static String sha256(String content) {
        return Hashes.sha256(content.getBytes(StandardCharsets.UTF_8));
    }

    protected JsonNode ok(Api.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    protected Api.Response putTemplate(String file, String content, String expectedSha256) {
        return api.put("/api/rdagent/templates/content?file=" + file,
                Api.json(Map.of("content", content, "expected_sha256", expectedSha256, "note", "test edit")));
    }

    /** A JSON write whose expected version comes as an If-Match header, as HTTP clients send it. */
    protected Api.Response withIfMatch(String method, String path, String json, String sha256) {
        return api.send(api.request(path)
                .header("Content-Type", "application/json")
                .header("If-Match", "\"" + sha256 + "\"")
                .method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    /**
     * A rollback to {@code historyId} based on {@code staleSha256}, a version someone has since replaced: refused
     * with 409, whether the version comes in the body or as If-Match.
     */
    protected void assertStaleRollbacksConflict(String path, long historyId, String staleSha256) {
        Api.Response byBody = api.post(path, Api.json(Map.of("history_id", historyId,
                "expected_sha256", staleSha256, "note", "put back the earlier version")));
        Api.Response byHeader = withIfMatch("POST", path,
                Api.json(Map.of("history_id", historyId, "note", "put back the earlier version")), staleSha256);
        for (Api.Response stale : List.of(byBody, byHeader)) {
            assertThat(stale.status()).as(stale.body()).isEqualTo(409);
            assertThat(stale.json().path("error").asText()).isEqualTo("conflict");
        }
    }

    /** History rows of {@code file}, newest first (at most 200). */
    protected List<JsonNode> templateHistory(String file) {
        JsonNode page = ok(api.get("/api/rdagent/templates/history?size=200&file=" + file));
        return page.path("items").findParents("id");
    }

    protected Path historyFile(JsonNode entry) {
        return properties.history().resolve(entry.path("history_path").asText());
    }
}
