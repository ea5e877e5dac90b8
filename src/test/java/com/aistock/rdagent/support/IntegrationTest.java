package com.aistock.rdagent.support;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.aistock.rdagent.config.RdAgentFiles;
import com.aistock.rdagent.system.RdAgentInstallation;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service on a random port: embedded PostgreSQL, the YAML routes, and the RD-Agent simulator in demo
 * mode, all under one base folder in {@code target/}. Classes that keep these settings share one running context,
 * so whatever a test does to it is undone after the test, pass or fail (see {@link #restoreSharedService()}).
 * Metrics are exported as in production (Spring's tests switch them off by default).
 */
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "scheduler.worker.max-concurrent-runs=2",
        "scheduler.worker.poll-interval=200ms",
        "scheduler.run.second-interrupt-after=2s",
        "scheduler.run.stop-grace=5s",
        "scheduler.run.heartbeat-interval=1s",
        "scheduler.callbacks.initial-delay=100",
        "scheduler.callbacks.signing-secret=" + IntegrationTest.CALLBACK_SECRET,
        "scheduler.public-url=http://rdagent.test",
        "scheduler.notify.poll-interval=200ms",
        "scheduler.notify.retry-delay=200ms",
        "scheduler.notify.max-retry-delay=1s",
        "scheduler.rdagent.python=/usr/bin/python3",
        "scheduler.security.admin-password=" + Api.ADMIN_PASSWORD,
        // every request of the suite authenticates with HTTP Basic: a cheap hash keeps that fast
        "scheduler.security.password-strength=4",
        // schedule tests stop Quartz across a few 2-second fire times and expect them to count as missed, and
        // expect a node to take over another's fires within a period (misfire threshold > idle wait)
        "spring.quartz.properties[org.quartz.jobStore.misfireThreshold]=3000",
        "spring.quartz.properties[org.quartz.scheduler.idleWaitTime]=1000"})
public abstract class IntegrationTest {

    /**
     * A property for a test class whose context has folders and a database of its own, followed by a name for it:
     * Quartz keeps a JVM-wide registry of job-store connections by scheduler name, so a second context under the
     * shared one's name would hand the shared scheduler its own database's connections.
     */
    /** Signs every callback_url POST of the suite (a secret: the leak scan looks for it). */
    public static final String CALLBACK_SECRET = "callback-signing-secret-7f3a";

    public static final String OWN_SCHEDULER = "spring.quartz.scheduler-name=rdagent-";

    /** One base folder per test JVM: history/, inbox/, outbox/, work/ and data/ (with data/pg) live here. */
    protected static final Path BASE = Path.of("target", "it", UUID.randomUUID().toString()).toAbsolutePath();

    @DynamicPropertySource
    static void baseFolder(DynamicPropertyRegistry registry) {
        registry.add("scheduler.base-dir", BASE::toString);
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    private RdAgentInstallation installation;

    protected Api api;

    /** The live templates and .env as the test found them. */
    private final Map<Path, byte[]> liveFiles = new LinkedHashMap<>();

    @BeforeEach
    void connectApi() throws IOException {
        api = new Api(port);
        for (String file : Stream.concat(RdAgentFiles.TEMPLATES.stream(), Stream.of(RdAgentFiles.ENV)).toList()) {
            Path live = installation.home().resolve(file);
            liveFiles.put(live, Files.readAllBytes(live));
        }
    }

    /**
     * The next test finds the service as this one did, whatever happened here: no schedule (that would go on
     * firing), no task pending or running (that would hold the workers), no default dataset (tasks without
     * dataset_ids run on the templates as they are), and the live templates and .env as they were.
     */
    @AfterEach
    void restoreSharedService() throws IOException {
        for (JsonNode schedule : api.get("/api/rdagent/schedules?size=200").json().path("items")) {
            api.delete("/api/rdagent/schedules/" + schedule.path("id").asLong());
        }
        Tasks.cancelAll(api);
        // no spending limit or price set through the API outlives its test
        for (JsonNode quota : api.get("/api/rdagent/spend/quotas").json().path("items")) {
            if (quota.path("source").asText().equals("api")) {
                api.delete("/api/rdagent/spend/quotas?subject=" + URLEncoder.encode(quota.path("subject").asText(),
                        StandardCharsets.UTF_8));
            }
        }
        for (JsonNode price : api.get("/api/rdagent/spend/prices").json().path("items")) {
            if (price.path("source").asText().equals("api")) {
                api.delete("/api/rdagent/spend/prices?model=" + URLEncoder.encode(price.path("model").asText(),
                        StandardCharsets.UTF_8));
            }
        }
        for (JsonNode dataset : api.get("/api/rdagent/datasets").json()) {
            if (dataset.path("is_default").asBoolean()) {
                api.delete("/api/rdagent/datasets/" + dataset.path("id").asLong());
            }
        }
        for (Map.Entry<Path, byte[]> file : liveFiles.entrySet()) {
            if (!Arrays.equals(Files.readAllBytes(file.getKey()), file.getValue())) {
                Files.write(file.getKey(), file.getValue());
            }
        }
    }

    protected static Path base() {
        return BASE;
    }
}
