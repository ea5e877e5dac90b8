package com.aistock.rdagent.support;

import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service on a random port: embedded PostgreSQL, the YAML routes, and the RD-Agent simulator in demo
 * mode, all under one base folder in {@code target/}. Classes that keep these settings share one running context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "scheduler.worker.max-concurrent-runs=2",
        "scheduler.worker.poll-interval=200ms",
        "scheduler.run.second-interrupt-after=2s",
        "scheduler.run.stop-grace=5s",
        "scheduler.run.heartbeat-interval=1s",
        "scheduler.callbacks.initial-delay=100",
        "scheduler.rdagent.python=/usr/bin/python3",
        "scheduler.security.admin-password=" + Api.ADMIN_PASSWORD,
        // every request of the suite authenticates with HTTP Basic: a cheap hash keeps that fast
        "scheduler.security.password-strength=4",
        // schedule tests stop Quartz across a few 2-second fire times and expect them to count as missed, and
        // expect a node to take over another's fires within a period (misfire threshold > idle wait)
        "spring.quartz.properties[org.quartz.jobStore.misfireThreshold]=3000",
        "spring.quartz.properties[org.quartz.scheduler.idleWaitTime]=1000"})
public abstract class IntegrationTest {

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

    protected Api api;

    @BeforeEach
    void connectApi() {
        api = new Api(port);
    }

    protected static Path base() {
        return BASE;
    }
}
