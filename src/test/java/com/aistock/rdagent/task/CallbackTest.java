package com.aistock.rdagent.task;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.Tasks;
import com.sun.net.httpserver.HttpServer;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** The completion webhook is retried with backoff, every attempt recorded, and never changes the task. */
class CallbackTest extends IntegrationTest {

    @Autowired
    private CamelContext camelContext;

    @Test
    void aFlakyReceiverGetsTheTaskOnceOnTheThirdTry() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        List<String> delivered = new CopyOnWriteArrayList<>();
        HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = calls.incrementAndGet() <= 2 ? 500 : 200;
            if (status == 200) {
                delivered.add(new String(body));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        stub.start();
        try {
            long id = Tasks.submit(api, "{\"loop_n\": 1, \"callback_url\": \"http://127.0.0.1:" + stub.getAddress().getPort()
                    + "/hook\", \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
            NotifyBuilder over = Tasks.callbackOver(camelContext, id);
            Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofSeconds(60));

            assertThat(over.matches(30, TimeUnit.SECONDS)).as("the webhook's retries are over").isTrue();
            List<Map<String, Object>> attempts = attempts(id);
            assertThat(attempts).extracting(a -> a.get("status_code")).containsExactly(500, 500, 200);
            assertThat(attempts).extracting(a -> a.get("attempt")).containsExactly(1, 2, 3);
            assertThat(delivered).singleElement().asString()
                    .contains("\"id\":" + id).contains("\"status\":\"SUCCEEDED\"");
            assertThat(calls.get()).isEqualTo(3);
        } finally {
            stub.stop(0);
        }
    }

    @Test
    void aDeadReceiverIsTriedFiveTimesAndTheTaskKeepsItsStatus() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        long id = Tasks.submit(api, "{\"loop_n\": 1, \"callback_url\": \"http://127.0.0.1:" + deadPort
                + "/hook\", \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
        NotifyBuilder givenUp = Tasks.callbackOver(camelContext, id);
        Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofSeconds(60));

        assertThat(givenUp.matches(30, TimeUnit.SECONDS)).as("the webhook's retries are over").isTrue();
        assertThat(attempts(id)).hasSize(5);
        assertThat(attempts(id)).extracting(a -> a.get("attempt")).containsExactly(1, 2, 3, 4, 5);
        assertThat(attempts(id)).allMatch(a -> a.get("status_code") == null && a.get("error") != null);
        assertThat(Tasks.get(api, id).path("status").asText()).isEqualTo("SUCCEEDED");
    }

    private List<Map<String, Object>> attempts(long taskId) {
        return jdbc.queryForList("SELECT attempt, status_code, error FROM rdagent_task_callback WHERE task_id = ? ORDER BY attempt",
                taskId);
    }
}
