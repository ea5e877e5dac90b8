package com.aistock.rdagent.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.aistock.rdagent.support.Api;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The .env "test" buttons: the LLM endpoint and the Qlib data folder. */
class EnvChecksTest extends ConfigIntegrationTest {

    private static final String KEY = "sk-stub-key-4242424242";

    @Test
    void aReachableEndpointIsReportedWithoutEverEchoingTheKey() throws IOException {
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/v1/models", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            // a careless server that echoes the credentials it got
            byte[] body = ("{\"data\": [], \"auth\": \"" + exchange.getRequestHeaders().getFirst("Authorization") + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        stub.start();
        try {
            configure("http://127.0.0.1:" + stub.getAddress().getPort() + "/v1/");

            Api.Response response = api.post("/api/rdagent/env/test-llm", "");

            JsonNode check = ok(response);
            assertThat(check.path("reachable").asBoolean()).isTrue();
            assertThat(check.path("status").asInt()).isEqualTo(200);
            assertThat(check.path("latency_ms").asLong()).isNotNegative();
            assertThat(check.path("url").asText()).isEqualTo("http://127.0.0.1:" + stub.getAddress().getPort() + "/v1/models");
            assertThat(response.body()).doesNotContain(KEY);
            assertThat(authorizations).containsExactly("Bearer " + KEY);
        } finally {
            stub.stop(0);
        }
    }

    @Test
    void aClosedPortIsReportedRefused() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        configure("http://127.0.0.1:" + closed + "/v1");

        Api.Response response = api.post("/api/rdagent/env/test-llm", "");

        JsonNode check = ok(response);
        assertThat(check.path("reachable").asBoolean()).isFalse();
        assertThat(check.path("status").isNull()).isTrue();
        assertThat(check.path("message").asText()).isEqualTo("connection refused");
        assertThat(response.body()).doesNotContain(KEY);
    }

    /** A server that takes the connection and never answers: the check gives up at its timeout instead of hanging. */
    @Test
    void aSilentEndpointIsGivenUpOnAtTheTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            configure("http://127.0.0.1:" + silent.getLocalPort() + "/v1");

            Api.Response response = api.post("/api/rdagent/env/test-llm", "");

            JsonNode check = ok(response);
            assertThat(check.path("reachable").asBoolean()).isFalse();
            assertThat(check.path("status").isNull()).isTrue();
            assertThat(check.path("message").asText()).isEqualTo("no answer within " + ConnectionChecks.TIMEOUT.toSeconds() + " s");
            assertThat(response.body()).doesNotContain(KEY);
        }
    }

    @Test
    void theQlibCheckReportsAMissingCalendar(@TempDir Path data) throws IOException {
        Files.createDirectories(data.resolve("calendars"));
        Files.writeString(data.resolve("calendars/day.txt"), "2020-01-02\n");
        Files.createDirectories(data.resolve("instruments"));
        Files.writeString(data.resolve("instruments/csi300.txt"), "SH600000\t2020-01-02\t2020-12-31\n");
        Files.createDirectories(data.resolve("features/sh000300"));
        String body = Api.json(Map.of("provider_uri", data.toString(), "market", "csi300", "benchmark", "SH000300"));

        JsonNode complete = ok(api.post("/api/rdagent/env/test-qlib", body));
        Files.delete(data.resolve("calendars/day.txt"));
        JsonNode withoutCalendar = ok(api.post("/api/rdagent/env/test-qlib", body));

        assertThat(complete.path("ok").asBoolean()).isTrue();
        assertThat(complete.path("checks").findValues("ok")).allMatch(JsonNode::asBoolean).hasSize(5);
        assertThat(withoutCalendar.path("ok").asBoolean()).isFalse();
        for (JsonNode check : withoutCalendar.path("checks")) {
            assertThat(check.path("ok").asBoolean()).as(check.toString())
                    .isEqualTo(!check.path("name").asText().equals("calendar"));
        }
    }

    @Test
    void theQlibCheckDefaultsToTheBaselineTemplatesDataAndRefusesPathsAsNames() {
        JsonNode demo = ok(api.post("/api/rdagent/env/test-qlib", ""));

        assertThat(demo.path("ok").asBoolean()).as(demo.toPrettyString()).isTrue();
        assertThat(demo.path("market").asText()).isEqualTo("csi300");
        assertThat(api.post("/api/rdagent/env/test-qlib", "{\"market\": \"../../etc/passwd\"}").json()
                .path("field").asText()).isEqualTo("market");
    }

    private void configure(String apiBase) {
        JsonNode env = ok(api.get("/api/rdagent/env"));
        ok(api.put("/api/rdagent/env", Api.json(Map.of(
                "entries", Map.of("OPENAI_API_BASE", apiBase, "OPENAI_API_KEY", KEY),
                "expected_sha256", env.path("sha256").asText()))));
    }
}
