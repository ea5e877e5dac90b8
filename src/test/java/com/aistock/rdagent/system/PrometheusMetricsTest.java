package com.aistock.rdagent.system;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.aistock.rdagent.node.NodeHeartbeat;
import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.Tasks;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/prometheus} after three runs: one succeeds, one fails (its webhook fails too), one is
 * cancelled while running. Counts are compared before and after, since the context is shared with other tests.
 */
class PrometheusMetricsTest extends IntegrationTest {

    @Autowired
    private CamelContext camelContext;

    @Autowired
    private NodeHeartbeat heartbeat;

    private static final String[] FINAL = {"SUCCEEDED", "FAILED", "CANCELLED"};

    @Test
    void taskMetricsAfterASucceededAFailedAndACancelledRun() throws IOException {
        Tasks.awaitIdle(api);
        String before = scrape();

        long succeeded = Tasks.submit(api, "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
        long failed = Tasks.submit(api, "{\"loop_n\": 1, \"callback_url\": \"http://127.0.0.1:" + closedPort() + "/hook\", "
                + "\"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\", \"RDAGENT_SIM_FAIL_AT\": \"0:coding\"}}");
        NotifyBuilder webhookOver = Tasks.callbackOver(camelContext, failed);
        Tasks.awaitStatus(api, succeeded, "SUCCEEDED", Duration.ofSeconds(60));
        long cancelled = Tasks.submit(api, "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"30\"}}");
        await().atMost(Duration.ofSeconds(30)).until(() -> !Tasks.get(api, cancelled).path("pid").isNull());
        assertThat(api.post("/api/rdagent/tasks/" + cancelled + "/cancel", "").status()).isEqualTo(200);
        Tasks.awaitStatus(api, failed, "FAILED", Duration.ofSeconds(60));
        Tasks.awaitStatus(api, cancelled, "CANCELLED", Duration.ofSeconds(60));
        // the failed task's webhook: the first attempt and four retries, all refused
        assertThat(webhookOver.matches(30, TimeUnit.SECONDS)).as("the webhook's retries are over").isTrue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM rdagent_task_callback WHERE task_id = ?", Long.class, failed))
                .isEqualTo(5);

        String after = scrape();
        for (String status : FINAL) {
            Map<String, String> tags = Map.of("status", status);
            assertThat(value(after, "rdagent_tasks", tags) - value(before, "rdagent_tasks", tags)).as(status).isEqualTo(1);
            assertThat(value(after, "rdagent_tasks", tags)).as(status + " equals the table")
                    .isEqualTo(jdbc.queryForObject("SELECT count(*) FROM rdagent_task WHERE status = ?", Double.class, status));
            assertThat(value(after, "rdagent_run_duration_seconds_count", tags)
                    - value(before, "rdagent_run_duration_seconds_count", tags)).as(status + " runs timed").isEqualTo(1);
        }
        assertThat(value(after, "rdagent_run_duration_seconds_bucket", Map.of("status", "SUCCEEDED", "le", "+Inf")))
                .isEqualTo(value(after, "rdagent_run_duration_seconds_count", Map.of("status", "SUCCEEDED")));
        assertThat(value(after, "rdagent_tasks", Map.of("status", "PENDING"))).isZero();
        assertThat(value(after, "rdagent_tasks", Map.of("status", "RUNNING"))).isZero();
        assertThat(value(after, "rdagent_queue_depth", Map.of())).isZero();
        assertThat(value(after, "rdagent_webhook_failures_total", Map.of())
                - value(before, "rdagent_webhook_failures_total", Map.of())).isEqualTo(5);
        // a live node's heartbeat: never older than its lease, past which other nodes would take its tasks
        assertThat(value(after, "rdagent_node_heartbeat_age_seconds", Map.of()))
                .isGreaterThanOrEqualTo(0.0).isLessThan(heartbeat.lease().toSeconds());
    }

    @Test
    void configWritesAreCounted() {
        Map<String, String> tags = Map.of("kind", "env", "action", "write");
        double before = value(scrape(), "rdagent_config_writes_total", tags);
        String sha = api.get("/api/rdagent/env").json().path("sha256").asText();
        Api.Response set = api.put("/api/rdagent/env", "{\"entries\": {\"METRICS_TEST_KEY\": \"1\"}, \"expected_sha256\": \"" + sha + "\"}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        Api.Response unset = api.put("/api/rdagent/env", "{\"entries\": {\"METRICS_TEST_KEY\": null}, \"expected_sha256\": \""
                + set.json().path("sha256").asText() + "\"}");
        assertThat(unset.status()).as(unset.body()).isEqualTo(200);
        assertThat(value(scrape(), "rdagent_config_writes_total", tags) - before).isEqualTo(2);
    }

    @Test
    void aScraperNeedsOnlyAViewerToken() {
        Api.Response token = api.post("/api/rdagent/tokens", "{\"name\": \"prometheus\", \"role\": \"VIEWER\"}");
        assertThat(token.status()).as(token.body()).isEqualTo(201);
        Api scraper = Api.bearer(port, token.json().path("secret").asText());
        Api.Response scraped = scraper.get("/actuator/prometheus");
        assertThat(scraped.status()).isEqualTo(200);
        assertThat(scraped.body()).contains("rdagent_queue_depth").contains("rdagent_inbox_files_total{");
        assertThat(scraper.get("/actuator/env").status()).as("the rest of actuator stays ADMIN").isEqualTo(403);
        assertThat(Api.anonymous(port).get("/actuator/prometheus").status()).isEqualTo(401);
    }

    private String scrape() {
        Api.Response response = api.get("/actuator/prometheus");
        assertThat(response.status()).isEqualTo(200);
        return response.body();
    }

    /** The sample of {@code name} carrying all of {@code tags}; 0 when the series does not exist yet. */
    private static double value(String exposition, String name, Map<String, String> tags) {
        Matcher line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$", Pattern.MULTILINE).matcher(exposition);
        while (line.find()) {
            String labels = line.group(1) == null ? "" : line.group(1);
            if (tags.entrySet().stream().allMatch(tag -> labels.contains(tag.getKey() + "=\"" + tag.getValue() + "\""))) {
                return Double.parseDouble(line.group(2));
            }
        }
        return 0;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
