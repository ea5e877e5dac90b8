package com.aistock.rdagent.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A postmaster that dies is restarted on the same data and port, and the database answers again by itself; liveness
 * goes DOWN only while it cannot be restarted. Its own context, because it kills that context's PostgreSQL.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        IntegrationTest.OWN_SCHEDULER + "embedded-postmaster",
        "scheduler.worker.enabled=false",
        "scheduler.security.password-strength=4",
        "scheduler.health.database-restart-timeout=3s"})
@DirtiesContext
class EmbeddedPostmasterTest {

    private static final Path BASE = Path.of("target", "it", UUID.randomUUID().toString()).toAbsolutePath();

    @DynamicPropertySource
    static void folders(DynamicPropertyRegistry registry) {
        registry.add("scheduler.base-dir", BASE::toString);
    }

    @LocalServerPort
    private int port;

    @Autowired
    private EmbeddedPostmaster postmaster;

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void aDeadPostmasterIsRestartedAndLivenessFailsOnlyWhileItCannotBe() throws Exception {
        Api api = Api.anonymous(port);
        int databasePort = postmaster.port();
        jdbc.update("CREATE TABLE IF NOT EXISTS postmaster_test (id int)");
        jdbc.update("INSERT INTO postmaster_test VALUES (1)");

        long first = postmaster.pid();
        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> postmaster.pid() != first
                        && jdbc.queryForObject("SELECT count(*) FROM postmaster_test", Integer.class) == 1);
        assertThat(postmaster.port()).as("the same port: the pool's URL still holds").isEqualTo(databasePort);
        assertThat(api.get("/actuator/health/liveness").status()).isEqualTo(200);

        // it cannot start without its configuration: liveness goes DOWN after the restart timeout, then UP again
        Path conf = BASE.resolve("data/pg/postgresql.conf");
        Path aside = BASE.resolve("data/postgresql.conf.aside");
        Files.move(conf, aside);
        long second = postmaster.pid();
        ProcessHandle.of(second).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.get("/actuator/health/liveness").status() == 503);
        assertThat(api.get("/actuator/health/readiness").status()).isEqualTo(503);

        Files.move(aside, conf);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.get("/actuator/health/liveness").status() == 200);
        assertThat(postmaster.pid()).isNotEqualTo(second);
        // liveness is UP once the postmaster runs; it may still be recovering the killed one's data before it answers
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> jdbc.queryForObject("SELECT count(*) FROM postmaster_test", Integer.class) == 1);
    }
}
