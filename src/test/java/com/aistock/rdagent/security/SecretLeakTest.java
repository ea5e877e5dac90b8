package com.aistock.rdagent.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.SecretWatch;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs after every other test class of the suite: no secret value appeared in any API answer, and none is in any
 * log, archive or listing the service wrote. Only the live .env, its 0600 backups in history/ and each task's
 * 0600 workspace .env may hold one: RD-Agent needs them.
 */
@Order(Integer.MAX_VALUE)
class SecretLeakTest extends IntegrationTest {

    @Test
    void noSecretValueLeakedAnywhere() throws IOException {
        // the history listing and diff are answers too: ask for them now, so they are checked
        api.get("/api/rdagent/env/history?size=200");
        api.get("/api/rdagent/env");
        assertThat(SecretWatch.leaks()).as("API answers").isEmpty();

        Set<String> secrets = SecretWatch.secrets();
        List<String> found = new ArrayList<>();
        List<Path> roots = new ArrayList<>(List.of(base().resolve("outbox"), base().resolve("work"), base().resolve("history")));
        try (Stream<Path> reports = Files.list(Path.of("target", "surefire-reports"))) {
            roots.addAll(reports.filter(p -> p.getFileName().toString().endsWith("-output.txt")).toList());
        }
        for (Path root : roots) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).filter(SecretLeakTest::mayNotHoldSecrets).toList()) {
                    String text = new String(readHead(file), StandardCharsets.ISO_8859_1);
                    secrets.stream().filter(text::contains).forEach(secret -> found.add(file.toString()));
                }
            }
        }
        assertThat(found).as("files holding a secret value").isEmpty();
    }

    /** The managed .env's backups and each run's own .env hold the keys on purpose, readable by the owner only. */
    private static boolean mayNotHoldSecrets(Path file) {
        String name = file.getFileName().toString();
        boolean envBackup = file.toString().contains("/history/") && name.endsWith(".env");
        boolean runEnv = name.equals(".env") && file.toString().contains("/work/tasks/");
        return !envBackup && !runEnv && !name.endsWith(".pkl");
    }

    /** Logs can be a GiB: secrets would sit in the first lines (settings) anyway, so 16 MiB is read. */
    private static byte[] readHead(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return in.readNBytes(16 << 20);
        }
    }
}
