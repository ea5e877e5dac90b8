package com.aistock.rdagent.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.SecretWatch;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs after every other test class of the suite: no secret value any test set appeared in any API answer, and
 * none is in any file the service or its tests wrote in this run, in every base folder under {@code target/it}
 * (each test JVM's, the inbox tests', the second node's, the readiness test's) and the tests' logs. Only the live
 * .env, its 0600 backups in history/ and each task's 0600 workspace .env may hold one: RD-Agent needs them.
 */
@Order(Integer.MAX_VALUE)
class SecretLeakTest extends IntegrationTest {

    @Test
    void noSecretValueLeakedAnywhere() throws IOException {
        // the history listing and diff are answers too: ask for them now, so they are checked
        api.get("/api/rdagent/env/history?size=200");
        api.get("/api/rdagent/env");
        assertThat(SecretWatch.leaks()).as("API answers").isEmpty();

        List<Path> roots = new ArrayList<>();
        try (Stream<Path> bases = Files.list(base().getParent())) {
            roots.addAll(bases.filter(Files::isDirectory).toList());
        }
        try (Stream<Path> reports = Files.list(Path.of("target", "surefire-reports"))) {
            roots.addAll(reports.filter(p -> p.getFileName().toString().endsWith("-output.txt")).toList());
        }
        SecretWatch.Scan scan = SecretWatch.scan(roots);

        assertThat(archives()).as("task archives of this run to scan: this test runs after the suite (mvnw verify); "
                + "alone it has nothing to check").isNotEmpty();
        assertThat(scan.roots()).contains(base());
        assertThat(scan.files()).isGreaterThan(archives().size());
        assertThat(scan.found()).as("files holding a secret value").isEmpty();
    }

    private static List<Path> archives() throws IOException {
        Path outbox = base().resolve("outbox");
        if (!Files.isDirectory(outbox)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(outbox)) {
            return files.filter(p -> p.getFileName().toString().equals("summary.json")).toList();
        }
    }
}
