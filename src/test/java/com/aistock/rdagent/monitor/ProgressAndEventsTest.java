package com.aistock.rdagent.monitor;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.RequiredTools;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Loop progress from run.log markers, and per-loop results from RD-Agent's own events. */
class ProgressAndEventsTest extends IntegrationTest {

    /** An address of this machine other than loopback, IPv4 first; null when it has none. */
    private static InetAddress nonLoopbackAddress() throws SocketException {
        List<InetAddress> found = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                Collections.list(nic.getInetAddresses()).stream()
                        .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress()).forEach(found::add);
            }
        }
        return found.stream().filter(a -> a instanceof Inet4Address).findFirst().orElse(found.isEmpty() ? null : found.get(0));
    }

    /** POSTs {@code json} over a socket bound to {@code from}, to the service on that same address; the whole answer. */
    private String rawPost(InetAddress from, String path, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress(from, port), 5_000);
            socket.setSoTimeout(30_000);
            String host = from instanceof Inet6Address ? "[" + from.getHostAddress() + "]" : from.getHostAddress();
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void progressClimbsToHundredAndLoopsFillFromEvents() {
        long id = Tasks.submit(api, "{\"loop_n\": 3, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0.3\"}}");
        List<Double> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode task = Tasks.get(api, id);
            JsonNode percent = task.path("progress").path("percent");
            if (percent.isNumber() && (seen.isEmpty() || seen.get(seen.size() - 1) != percent.asDouble())) {
                seen.add(percent.asDouble());
            }
            return Tasks.FINISHED.contains(task.path("status").asText());
        });
        JsonNode task = Tasks.get(api, id);
        assertThat(task.path("status").asText()).isEqualTo("SUCCEEDED");

        assertThat(seen).as("percent over time").isSorted();
        assertThat(seen).anyMatch(p -> p > 0 && p < 100);
        assertThat(seen.get(seen.size() - 1)).isEqualTo(100.0);
        JsonNode progress = task.path("progress");
        assertThat(progress.path("loops_total").asInt()).isEqualTo(3);
        assertThat(progress.path("loop").asInt()).isEqualTo(2);
        assertThat(progress.path("step_name").asText()).isEqualTo("record");
        assertThat(progress.path("updated_at").asText()).isNotEmpty();

        JsonNode loops = api.get("/api/rdagent/tasks/" + id + "/loops").json();
        assertThat(loops).hasSize(3);
        assertThat(task.path("metrics").path("last").path("loop").asInt(-1)).as("the loop the last result came from").isEqualTo(2);
        assertThat(task.path("metrics").path("last").path("experiment").asText()).as("and its workspace").isNotBlank();
        for (int loop = 0; loop < 3; loop++) {
            JsonNode row = loops.get(loop);
            assertThat(row.path("loop").asInt()).isEqualTo(loop);
            assertThat(row.path("hypothesis").asText()).isNotBlank();
            assertThat(row.path("tasks").isArray()).isTrue();
            assertThat(row.path("metrics").path("1day.excess_return_with_cost.annualized_return").isNumber()).isTrue();
            assertThat(row.path("decision").isBoolean()).isTrue();
        }
    }

    @Test
    void eventsForNoRunningTaskAreRefused() {
        Api.Response unknown = api.post("/receive",
                "{\"id\": \"/nowhere/log\", \"msg\": {\"tag\": \"research.hypothesis\", \"loop_id\": \"0\", \"content\": {}}}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("error").asText()).isEqualTo("not_found");

        Api.Response huge = api.post("/receive", "[" + "\"x\",".repeat(300_000) + "\"x\"]");
        assertThat(huge.status()).isEqualTo(413);

        assertThat(api.post("/receive", "{not json").status()).isEqualTo(400);
    }

    /**
     * Over a real socket: a client bound to this machine's own non-loopback address (eth0's, say) is refused, and
     * the same request from loopback gets past the check (to a 404: no running task traces there).
     */
    @Test
    void receiveRefusesAPeerThatIsNotLoopback() throws IOException {
        InetAddress outside = nonLoopbackAddress();
        RequiredTools.require(outside != null, "this machine has no non-loopback address to connect from");
        String event = "{\"id\": \"/nowhere/log\", \"msg\": {\"tag\": \"research.hypothesis\", \"loop_id\": \"0\", \"content\": {}}}";

        String refused = rawPost(outside, "/receive", event);
        String local = rawPost(InetAddress.getLoopbackAddress(), "/receive", event);

        assertThat(refused).startsWith("HTTP/1.1 403").contains("\"error\":\"forbidden\"").contains("this machine only");
        assertThat(local).startsWith("HTTP/1.1 404");
    }

    @Test
    void onlyTheSocketPeerDecidesWhoIsLocal() {
        MockHttpServletRequest remote = new MockHttpServletRequest();
        remote.setRemoteAddr("10.1.2.3");
        remote.addHeader("X-Forwarded-For", "127.0.0.1");
        remote.addHeader("X-Real-IP", "127.0.0.1");
        assertThatThrownBy(() -> RunEvents.checkLocal(remote)).hasMessageContaining("this machine only");

        for (String address : List.of("192.168.1.20", "8.8.8.8", "::ffff:10.0.0.1", "localhost.evil.com", "")) {
            assertThat(RunEvents.isLoopback(address)).as(address).isFalse();
        }
        for (String address : List.of("127.0.0.1", "127.0.0.2", "::1", "0:0:0:0:0:0:0:1")) {
            assertThat(RunEvents.isLoopback(address)).as(address).isTrue();
        }
        MockHttpServletRequest local = new MockHttpServletRequest();
        local.setRemoteAddr("127.0.0.1");
        RunEvents.checkLocal(local);
    }
}
