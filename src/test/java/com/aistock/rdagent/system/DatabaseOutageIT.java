package com.aistock.rdagent.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.NodeProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * While the database is away every request answers 503 {@code unavailable} (a bearer token's as well as a
 * password's), and the service's timers and pollers log the outage once per interval with a count instead of a
 * stack trace per attempt.
 */
// a start of the packaged jar (up to minutes on a busy machine) and an outage of a minute: longer than the suite's
// default
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class DatabaseOutageIT {

    private static final Path ROOT = Path.of("target", "database-outage-it").toAbsolutePath();
    private static final Pattern TIMESTAMP = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT");

    private EmbeddedPostgres postgres;
    private NodeProcess node;

    @AfterEach
    void stopAll() throws Exception {
        if (node != null) {
            node.stop();
        }
        postgres.close();
    }

    @Test
    void everyRequestAnswers503AndRepeatedFailuresAreCounted() throws Exception {
        Path run = ROOT.resolve(UUID.randomUUID().toString());
        Path pgData = Files.createDirectories(run.resolve("pg"));
        postgres = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).start();
        int pgPort = postgres.getPort();
        node = new NodeProcess("node-a", run.resolve("node-a"), "jdbc:postgresql://localhost:" + pgPort + "/postgres",
                List.of("--scheduler.run.heartbeat-interval=1s", "--scheduler.worker.poll-interval=200ms",
                        "--scheduler.health.failure-log-interval=5s")).start();
        Api admin = node.api();
        int port = admin.uri("/").getPort();
        Api.Response created = admin.post("/api/rdagent/tokens", "{\"name\": \"aistock\", \"role\": \"VIEWER\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Api machine = Api.bearer(port, created.json().path("secret").asText());
        assertThat(machine.get("/api/rdagent/tasks").status()).isEqualTo(200);

        int logged = node.log().length();
        postgres.close();
        for (Api caller : List.of(machine, admin)) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> caller.get("/api/rdagent/tasks").status() == 503);
            Api.Response answer = caller.get("/api/rdagent/tasks");
            assertThat(answer.json().path("error").asText()).as(answer.body()).isEqualTo("unavailable");
        }
        // the heartbeat timer (every second here) fails on every tick: the first failure, then a count per interval
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> node.log().substring(logged).matches("(?s).*Route task-heartbeat failed \\d+ more times in the last 5s.*"));

        String outage = node.log().substring(logged);
        String header = "";
        for (String line : outage.lines().toList()) {
            if (TIMESTAMP.matcher(line).find()) {
                header = line;
            } else if (line.startsWith("\tat ")) {
                // libraries' own reports, each once: Quartz's first failure (and its cluster manager's every fourth
                // check-in), HikariCP's connection that broke in use
                assertThat(header).as("only Quartz's and HikariCP's own reports carry a stack trace")
                        .containsPattern("(?i)quartz|hikari");
            }
        }
        assertThat(outage.lines().filter(line -> line.contains("Route task-heartbeat failed")).count())
                .as("a count per interval, not a line per tick").isLessThanOrEqualTo(4);

        postgres = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).setPort(pgPort).start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> machine.get("/api/rdagent/tasks").status() == 200);
    }
}
