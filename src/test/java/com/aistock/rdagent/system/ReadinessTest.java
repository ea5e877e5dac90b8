package com.aistock.rdagent.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.UUID;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Readiness follows what the service needs to run tasks, liveness only the JVM. Its own context (and database),
 * because it breaks both: RD-Agent's command is missing at first, and the database is stopped at the end.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        IntegrationTest.OWN_SCHEDULER + "readiness",
        "scheduler.worker.enabled=false",
        "scheduler.rdagent.python=/usr/bin/python3",
        "scheduler.security.password-strength=4"})
@DirtiesContext
class ReadinessTest {

    private static final Path BASE = Path.of("target", "it", UUID.randomUUID().toString()).toAbsolutePath();
    private static final Path HOME = BASE.resolve("rdagent-home");
    private static final Path COMMAND = HOME.resolve("bin/rdagent");

    @DynamicPropertySource
    static void folders(DynamicPropertyRegistry registry) {
        try {
            Files.createDirectories(HOME);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("scheduler.base-dir", BASE::toString);
        registry.add("scheduler.rdagent.home", HOME::toString);
        registry.add("scheduler.rdagent.command", COMMAND::toString);
    }

    @LocalServerPort
    private int port;

    @Autowired
    private EmbeddedPostmaster database;

    @Test
    void readinessFollowsRdAgentAndTheDatabaseWhileLivenessStaysUp() throws IOException {
        Api api = Api.anonymous(port); // health is public, and must answer while the users table is out of reach

        // RD-Agent's command is not there
        JsonNode readiness = probe(api, "readiness", 503);
        assertThat(readiness.path("status").asText()).isEqualTo("DOWN");
        assertThat(readiness.at("/components/rdagent/status").asText()).isEqualTo("DOWN");
        assertThat(readiness.at("/components/db/status").asText()).isEqualTo("UP");
        assertThat(readiness.at("/components/folders/status").asText()).isEqualTo("UP");
        assertThat(probe(api, "liveness", 200).path("status").asText()).isEqualTo("UP");

        // installed (and executable): ready
        Files.createDirectories(COMMAND.getParent());
        Files.writeString(COMMAND, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(COMMAND, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(probe(api, "readiness", 200).path("status").asText()).isEqualTo("UP");

        // the database goes away (stopped, so not restarted): not ready, but alive (a restart of the service would
        // not bring the database back)
        database.stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/actuator/health/readiness").status() == 503);
        readiness = probe(api, "readiness", 503);
        assertThat(readiness.at("/components/db/status").asText()).isEqualTo("DOWN");
        assertThat(readiness.at("/components/rdagent/status").asText()).isEqualTo("UP");
        assertThat(probe(api, "liveness", 200).path("status").asText()).isEqualTo("UP");
    }

    private static JsonNode probe(Api api, String group, int status) {
        Api.Response response = api.get("/actuator/health/" + group);
        assertThat(response.status()).as(group + ": " + response.body()).isEqualTo(status);
        return response.json();
    }
}
