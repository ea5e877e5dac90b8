package com.aistock.rdagent.monitor;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.EventStream;
import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.Tasks;
import com.aistock.rdagent.system.Hashes;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Live logs over SSE and offset polling, for any size of log. */
class LiveLogTest extends IntegrationTest {

    @Autowired
    private WebServerApplicationContext server;

    /** Longest wait for the next line of a live log; the simulator prints several a second. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    /** One SSE event as the client saw it. */
    record Event(String id, String name, String data, long receivedAtMillis) {
    }

    @Test
    void sseDeliversEveryLineInOrderAcrossAReconnect() throws Exception {
        long id = Tasks.submit(api, "{\"loop_n\": 3, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0.2\"}}");
        Tasks.awaitStatus(api, id, "RUNNING", Duration.ofSeconds(60));

        List<Event> first = new ArrayList<>();
        readEvents(id, null, first, 10);
        // the same stream carries the run's status, progress, metrics and loops: those never move Last-Event-ID
        assertThat(first).extracting(Event::name).contains("status");
        first.removeIf(e -> !e.name().equals("log"));
        String lastId = first.get(first.size() - 1).id();
        List<Event> rest = new ArrayList<>();
        readEvents(id, lastId, rest, Integer.MAX_VALUE);

        JsonNode task = Tasks.get(api, id);
        assertThat(task.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(rest.get(rest.size() - 1).name()).isEqualTo("end");
        List<String> received = new ArrayList<>();
        first.forEach(e -> received.add(e.data()));
        rest.stream().filter(e -> e.name().equals("log")).forEach(e -> received.add(e.data()));
        String log = Files.readString(Path.of(task.path("archive_path").asText(), "run.log"));
        // every line ended by a newline (blank ones too); the log ends with one, so the last split part is empty
        List<String> parts = Arrays.asList(log.split("\n", -1));
        List<String> expected = parts.subList(0, parts.size() - 1).stream().map(Utf8::visible).toList();
        for (int i = 0; i < Math.min(received.size(), expected.size()); i++) {
            assertThat(received.get(i)).as("line %d", i).isEqualTo(expected.get(i));
        }
        assertThat(received).hasSameSizeAs(expected);
    }

    @Test
    void fiftyViewersShareOneFollowerThread() throws Exception {
        long id = Tasks.submit(api, "{\"loop_n\": 100, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0.2\"}}");
        Tasks.awaitStatus(api, id, "RUNNING", Duration.ofSeconds(60));
        List<EventStream> streams = new ArrayList<>();
        List<Integer> firstLines = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                EventStream stream = EventStream.open(api, sseRequest(api, id, null), READ_TIMEOUT);
                streams.add(stream);
                for (String line; (line = stream.readLine()) != null; ) {
                    if (line.startsWith("data:")) {
                        firstLines.add(i);
                        break;
                    }
                }
            }
            assertThat(firstLines).hasSize(50);
            assertThat(Thread.getAllStackTraces().keySet()).as("threads following logs, for 50 viewers")
                    .filteredOn(thread -> thread.getName().equals("log-follower")).hasSize(1);
            assertThat(((ThreadPoolExecutor) ((TomcatWebServer) server.getWebServer()).getTomcat().getConnector()
                    .getProtocolHandler().getExecutor()).getActiveCount())
                    .as("request threads busy while 50 viewers are connected: none is held per viewer").isLessThan(50);
        } finally {
            for (EventStream stream : streams) {
                stream.close();
            }
            api.post("/api/rdagent/tasks/" + id + "/cancel", "");
            Tasks.awaitStatus(api, id, "CANCELLED", Duration.ofSeconds(40));
        }
    }

    @Test
    void offsetPollingReturnsABigLogWholeInBoundedChunks() throws Exception {
        long logBytes = 40L << 20; // five steps: 200 MiB
        long id = Tasks.submit(api, "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\", "
                + "\"RDAGENT_SIM_LOG_BYTES\": \"" + logBytes + "\"}}");
        JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofMinutes(3));
        Path log = Path.of(task.path("archive_path").asText(), "run.log");

        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long offset = 0;
        long bytes = 0;
        boolean eof = false;
        while (!eof) {
            JsonNode chunk = api.get("/api/rdagent/tasks/" + id + "/logs?offset=" + offset + "&limit=1048576").json();
            assertThat(chunk.path("offset").asLong()).isEqualTo(offset);
            byte[] text = chunk.path("text").asText().getBytes(StandardCharsets.UTF_8);
            digest.update(text);
            bytes += text.length;
            assertThat(chunk.path("next_offset").asLong()).isEqualTo(offset + text.length);
            offset = chunk.path("next_offset").asLong();
            eof = chunk.path("eof").asBoolean();
        }
        try {
            assertThat(bytes).isEqualTo(Files.size(log)).isGreaterThan(200L << 20);
            assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(Hashes.sha256(log));
        } finally {
            Files.delete(log);
            Files.delete(Path.of(task.path("workspace_path").asText(), "run.log"));
        }
    }

    @Test
    void aCutInsideAMultiByteCharacterNeverBreaksUtf8() throws Exception {
        long id = Tasks.submit(api, "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
        JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofSeconds(60));
        Path log = Path.of(task.path("archive_path").asText(), "run.log");
        String chinese = "假设：动量因子在沪深300上有效 😀 结束\n";
        Files.writeString(log, chinese.repeat(3), StandardCharsets.UTF_8);

        for (int limit : new int[] {1, 2, 3, 5, 7, 64}) {
            StringBuilder text = new StringBuilder();
            long offset = 0;
            boolean eof = false;
            while (!eof) {
                JsonNode chunk = api.get("/api/rdagent/tasks/" + id + "/logs?offset=" + offset + "&limit=" + limit).json();
                assertThat(chunk.path("text").asText()).doesNotContain("\uFFFD");
                text.append(chunk.path("text").asText());
                long next = chunk.path("next_offset").asLong();
                eof = chunk.path("eof").asBoolean();
                assertThat(next > offset || eof).as("progress with limit %d", limit).isTrue();
                offset = next;
            }
            assertThat(text.toString()).as("limit %d", limit).isEqualTo(chinese.repeat(3));
        }

        JsonNode found = api.get("/api/rdagent/tasks/" + id + "/logs?q=" + java.net.URLEncoder.encode("😀", StandardCharsets.UTF_8)).json();
        assertThat(found.path("matches")).hasSize(3);
        assertThat(found.path("matches").get(1).path("offset").asLong()).isEqualTo(chinese.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void theDownloadHasTheWholeLogWhileTheRunLastsAndAfter() throws Exception {
        long id = Tasks.submit(api, "{\"loop_n\": 2, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0.3\"}}");
        JsonNode running = Tasks.awaitStatus(api, id, "RUNNING", Duration.ofSeconds(60));
        Path live = Path.of(running.path("workspace_path").asText(), "run.log");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(live) && Files.size(live) > 0);

        // while the run lasts: what was written so far, from its first byte, with its exact length
        HttpResponse<byte[]> partial = download(id);
        assertThat(partial.statusCode()).isEqualTo(200);
        assertThat(partial.headers().firstValue("Content-Disposition")).get().asString()
                .contains("attachment").contains("task-" + id + "-run.log");
        assertThat(partial.headers().firstValueAsLong("Content-Length")).hasValue(partial.body().length);
        assertThat(partial.body()).isNotEmpty();
        assertThat(Arrays.copyOf(Files.readAllBytes(live), partial.body().length)).isEqualTo(partial.body());

        // once over: the archived log, whole
        JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofSeconds(90));
        HttpResponse<byte[]> whole = download(id);
        assertThat(whole.body()).isEqualTo(Files.readAllBytes(Path.of(task.path("archive_path").asText(), "run.log")));
        assertThat(whole.body().length).isGreaterThan(partial.body().length);

        assertThat(api.get("/api/rdagent/tasks/99999999/run.log").status()).isEqualTo(404);
        Api.Response bad = api.get("/api/rdagent/tasks/x/run.log");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("field").asText()).isEqualTo("id");
    }

    private HttpResponse<byte[]> download(long id) throws IOException, InterruptedException {
        return api.client().send(api.request("/api/rdagent/tasks/" + id + "/run.log").build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpRequest sseRequest(Api api, long id, String lastEventId) {
        HttpRequest.Builder request = api.request("/api/rdagent/tasks/" + id + "/logs")
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return request.build();
    }

    /** Reads events until {@code max} log lines or the end event, then hangs up; only log events carry an id. */
    private void readEvents(long id, String lastEventId, List<Event> events, int max) throws IOException {
        int[] lines = {0};
        readEvents(api, id, lastEventId, events, e -> e.name().equals("log") && ++lines[0] >= max);
    }

    /** Reads events until one satisfies {@code stop} or the end event, then hangs up. */
    static void readEvents(Api api, long id, String lastEventId, List<Event> events, Predicate<Event> stop) throws IOException {
        try (EventStream stream = EventStream.open(api, sseRequest(api, id, lastEventId), READ_TIMEOUT)) {
            assertThat(stream.status()).isEqualTo(200);
            String eventId = null;
            String name = "message";
            StringBuilder data = null;
            for (String line; (line = stream.readLine()) != null; ) {
                if (line.startsWith("id:")) {
                    eventId = line.substring(3);
                } else if (line.isEmpty() && data == null) {
                    eventId = null;
                } else if (line.startsWith("event:")) {
                    name = line.substring(6);
                } else if (line.startsWith("data:")) {
                    data = data == null ? new StringBuilder(line.substring(5)) : data.append('\n').append(line.substring(5));
                } else if (line.isEmpty() && data != null) {
                    Event event = new Event(eventId, name, data.toString(), System.currentTimeMillis());
                    events.add(event);
                    if (name.equals("end") || stop.test(event)) {
                        return;
                    }
                    name = "message";
                    data = null;
                    eventId = null;
                }
            }
        }
    }
}
