package com.aistock.rdagent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.aistock.rdagent.support.Api;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Writes to one file are serialised and checked against the sha256 they were based on. */
class TemplateConcurrencyTest extends ConfigIntegrationTest {

    private static final String FILE = RdAgentFiles.TEMPLATES.get(1);
    private static final int WRITERS = 50;

    @Test
    void ofFiftyWritesBasedOnTheSameVersionExactlyOneLands() throws Exception {
        byte[] original = liveBytes(FILE);
        String base = new String(original, StandardCharsets.UTF_8);
        List<String> contents = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            contents.add(base + "# writer " + i + "\n");
        }
        int rowsBefore = templateHistory(FILE).size();
        List<Path> backupsBefore = backups();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Api.Response>> answers = new ArrayList<>();
        try {
            for (String content : contents) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return putTemplate(FILE, content, sha256(original));
                }));
            }
            start.countDown();
            List<Api.Response> responses = new ArrayList<>();
            for (Future<Api.Response> answer : answers) {
                responses.add(answer.get(60, TimeUnit.SECONDS));
            }

            List<Api.Response> landed = responses.stream().filter(r -> r.status() == 200).toList();
            List<String> refused = responses.stream().filter(r -> r.status() != 200 && r.status() != 409)
                    .map(r -> r.status() + " " + r.body()).toList();
            assertThat(refused).as("neither landed nor a conflict").isEmpty();
            assertThat(landed).hasSize(1);
            assertThat(responses.stream().filter(r -> r.status() == 409)).hasSize(WRITERS - 1);
            String live = new String(liveBytes(FILE), StandardCharsets.UTF_8);
            assertThat(contents).contains(live);
            assertThat(landed.get(0).json().path("sha256").asText()).isEqualTo(sha256(live));
            List<JsonNode> rows = templateHistory(FILE);
            assertThat(rows).hasSize(rowsBefore + 1);
            assertThat(rows.get(0).path("sha256").asText()).isEqualTo(sha256(live));
            assertThat(historyFile(rows.get(1))).hasBinaryContent(original);
            assertThat(backups()).hasSize(backupsBefore.size() + 1);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Every saved copy of the file in the history folder. */
    private List<Path> backups() throws IOException {
        if (!Files.isDirectory(properties.history())) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(properties.history())) {
            return files.filter(p -> p.getFileName().toString().endsWith("_" + RdAgentFiles.fileName(FILE))).toList();
        }
    }
}
