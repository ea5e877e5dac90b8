package com.aistock.rdagent.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/** The default node id: generated once, readable, kept in data/node-id; an explicit scheduler.node.id wins. */
class NodeIdentityTest {

    @TempDir
    Path base;

    @Test
    void theIdIsGeneratedOnceAndKeptInTheDataFolder() throws Exception {
        String id = idOf(Map.of("scheduler.base-dir", base.toString()));

        assertThat(id).matches("[A-Za-z0-9.-]+-[0-9a-f]{8}");
        assertThat(Files.readString(base.resolve("data/node-id")).strip()).isEqualTo(id);
        assertThat(idOf(Map.of("scheduler.base-dir", base.toString(), "server.port", "9999")))
                .as("another start, on another port").isEqualTo(id);
    }

    @Test
    void aKeptIdIsReadAsItIs() throws Exception {
        Path data = Files.createDirectories(base.resolve("elsewhere"));
        Files.writeString(data.resolve("node-id"), "gpu1-kept\n");

        assertThat(idOf(Map.of("scheduler.base-dir", base.toString(), "scheduler.data-dir", "elsewhere")))
                .isEqualTo("gpu1-kept");
    }

    @Test
    void anExplicitIdWinsAndNothingIsWritten() {
        assertThat(idOf(Map.of("scheduler.base-dir", base.toString(), "scheduler.node.id", "api1"))).isEqualTo("api1");
        assertThat(base.resolve("data/node-id")).doesNotExist();
    }

    @Test
    void twoGeneratedIdsDiffer() {
        assertThat(NodeIdentity.generate()).isNotEqualTo(NodeIdentity.generate());
    }

    /** As Spring Boot prepares an environment: the post-processor first, the test's properties on top of it. */
    private static String idOf(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        new NodeIdentity().postProcessEnvironment(environment, new SpringApplication());
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment.getProperty("scheduler.node.id");
    }
}
