package com.aistock.rdagent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.system.Hashes;
import com.aistock.rdagent.system.RdAgentInstallation;
import com.aistock.rdagent.system.SchedulerProperties;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The config center over HTTP on the running service's demo RD-Agent home. Every live file a test changes is put
 * back afterwards, because the other test classes share this home.
 */
abstract class ConfigIntegrationTest extends IntegrationTest {

    @Autowired
    protected RdAgentInstallation installation;

    @Autowired
    protected SchedulerProperties properties;

    private final Map<Path, byte[]> saved = new LinkedHashMap<>();

    /** Also reconciles the history with the files an earlier test put back behind the service's back. */
    @BeforeEach
    void saveLiveFiles() throws IOException {
        for (String file : Stream.concat(RdAgentFiles.TEMPLATES.stream(), Stream.of(RdAgentFiles.ENV)).toList()) {
            saved.put(live(file), Files.readAllBytes(live(file)));
        }
        ok(api.get("/api/rdagent/templates"));
        ok(api.get("/api/rdagent/env"));
    }

    @AfterEach
    void restoreLiveFiles() throws IOException {
        for (Map.Entry<Path, byte[]> file : saved.entrySet()) {
            Files.write(file.getKey(), file.getValue());
        }
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

    /** History rows of {@code file}, newest first (at most 200). */
    protected List<JsonNode> templateHistory(String file) {
        JsonNode page = ok(api.get("/api/rdagent/templates/history?size=200&file=" + file));
        return page.path("items").findParents("id");
    }

    protected Path historyFile(JsonNode entry) {
        return properties.history().resolve(entry.path("history_path").asText());
    }
}
