package com.aistock.rdagent.bench;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.aistock.rdagent.support.EventStream;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Logs: a run printing 1 GiB into run.log (captured by the OS, not the JVM) against {@code cat} of the same bytes
 * to a file, and what it costs the heap; a 200 MiB log read whole by offset polling, and what that costs the heap;
 * the live log over SSE to 50 viewers at once, lag from RD-Agent printing a line to each viewer receiving it, and
 * the threads those viewers add; and the lag of a viewer that reconnects with Last-Event-ID.
 */
class LogBenchmark extends BenchmarkContext {

    private static final long GIB = 1L << 30;
    private static final int VIEWERS = 50;

    @Test
    void aGibibyteThroughRunLog() throws IOException, InterruptedException {
        awaitIdle();
        long heapBefore = usedHeapAfterGc();
        String extraPerStep = Long.toString(GIB / 5 + 1); // one loop is five steps
        long id = Tasks.submit(api, "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\", "
                + "\"RDAGENT_SIM_LOG_BYTES\": \"" + extraPerStep + "\"}}");
        JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofMinutes(5));
        double heapGrowth = (usedHeapAfterGc() - heapBefore) / (double) (1 << 20);
        BenchResults.add(new BenchResults.Figure(41, "log-capture-heap", "Logs: heap growth across a 1 GiB run",
                heapGrowth, "MiB", null, "— (absolute target)", null, null, "< 64 MiB", heapGrowth < 64,
                "used heap after a full GC, before the POST and after the run succeeded (archive written)"));
        Path runLog = Path.of(task.path("workspace_path").asText(), "run.log");
        Path cat = BenchResults.FOLDER.resolve("cat-copy.log").toAbsolutePath();
        Path direct = BenchResults.FOLDER.resolve("log-direct").toAbsolutePath();
        try {
            long bytes = Files.size(runLog);
            Instant spawned = jdbc.queryForObject("SELECT started_at FROM rdagent_task_attempt WHERE task_id = ?",
                    OffsetDateTime.class, id).toInstant();
            double capture = Duration.between(spawned, Files.getLastModifiedTime(runLog).toInstant()).toNanos() / 1e9;

            long t0 = System.nanoTime();
            Process copy = new ProcessBuilder("cat", runLog.toString()).redirectOutput(cat.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            copy.waitFor();
            double catSeconds = (System.nanoTime() - t0) / 1e9;

            Processes.BareRun alone = Processes.run(rdagentCommand(), direct,
                    Map.of("RDAGENT_SIM_STEP_SECONDS", "0", "RDAGENT_SIM_LOG_BYTES", extraPerStep));
            double aloneSeconds = Duration.between(alone.started(), Files.getLastModifiedTime(alone.log()).toInstant())
                    .toNanos() / 1e9;

            double rate = bytes / capture / (1 << 20);
            double catRate = bytes / catSeconds / (1 << 20);
            BenchResults.add(new BenchResults.Figure(40, "log-capture", "Logs: 1 GiB through a run's run.log", rate,
                    "MiB/s", catRate, "cat of the same bytes to a file", rate / catRate, "× (rate)",
                    "≥ 0.9 × cat", rate >= 0.9 * catRate,
                    String.format("%.2f GiB in %.2f s (process spawned → last write of run.log; the OS appends the "
                                    + "output to the file, the JVM copies nothing); cat %.2f s. The same simulator run "
                                    + "outside the service, straight to a file: %.2f s (%.0f MiB/s).",
                            bytes / (double) GIB, capture, catSeconds, aloneSeconds, bytes / aloneSeconds / (1 << 20))));
        } finally {
            Files.deleteIfExists(runLog);
            Files.deleteIfExists(Path.of(task.path("archive_path").asText(), "run.log"));
            Files.deleteIfExists(cat);
            Processes.deleteTree(direct);
        }
    }

    @Test
    void offsetPollingOfABigLog() throws Exception {
        awaitIdle();
        long logBytes = 40L << 20; // five steps: 200 MiB
        long id = Tasks.submit(api, "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\", "
                + "\"RDAGENT_SIM_LOG_BYTES\": \"" + logBytes + "\"}}");
        JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofMinutes(3));
        try {
            long heapBefore = usedHeapAfterGc();
            long offset = 0;
            boolean eof = false;
            while (!eof) {
                JsonNode chunk = api.get("/api/rdagent/tasks/" + id + "/logs?offset=" + offset + "&limit=1048576").json();
                offset = chunk.path("next_offset").asLong();
                eof = chunk.path("eof").asBoolean();
            }
            double heapGrowth = (usedHeapAfterGc() - heapBefore) / (double) (1 << 20);
            BenchResults.add(new BenchResults.Figure(45, "log-polling-heap",
                    "Logs: heap growth reading a " + (offset >> 20) + " MiB log by offset polling", heapGrowth, "MiB",
                    null, "— (absolute target)", null, null, "< 32 MiB", heapGrowth < 32,
                    "1 MiB chunks through GET /tasks/{id}/logs?offset=…, used heap after a full GC before and after"));
        } finally {
            Files.deleteIfExists(Path.of(task.path("archive_path").asText(), "run.log"));
            Files.deleteIfExists(Path.of(task.path("workspace_path").asText(), "run.log"));
        }
    }

    @Test
    void liveLogAfterAReconnect() throws Exception {
        awaitIdle();
        long id = Tasks.submit(api, "{\"loop_n\": 3, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0.2\"}}");
        Tasks.awaitStatus(api, id, "RUNNING", Duration.ofSeconds(60));
        String lastId = null;
        try (EventStream first = EventStream.open(api, sse(id, null), Duration.ofSeconds(30))) {
            for (int lines = 0; lines < 10; ) {
                String line = first.readLine();
                if (line.startsWith("id:")) {
                    lastId = line.substring(3);
                } else if (line.startsWith("data:")) {
                    lines++;
                }
            }
        }
        List<Double> lags = new ArrayList<>();
        Instant reconnected = Instant.now();
        try (EventStream rest = EventStream.open(api, sse(id, lastId), Duration.ofSeconds(30))) {
            for (String line; (line = rest.readLine()) != null && !line.startsWith("event:end"); ) {
                Instant printed = line.startsWith("data:") ? Processes.loguru(line.substring(5)) : null;
                if (printed != null && printed.isAfter(reconnected)) {
                    lags.add(Duration.between(printed, Instant.now()).toNanos() / 1e6);
                }
            }
        }
        double max = lags.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        BenchResults.add(new BenchResults.Figure(52, "sse-reconnect-lag-max", "Live log (SSE) lag after a reconnect, max",
                max, "ms", null, "— (absolute target)", null, null, "< 1000 ms", max < 1000,
                String.format("%d lines printed after the viewer reconnected with Last-Event-ID, loguru timestamp → "
                        + "received", lags.size())));
    }

    @Test
    void fiftyViewersThreads() throws Exception {
        awaitIdle();
        long id = Tasks.submit(api, "{\"loop_n\": 100, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0.2\"}}");
        Tasks.awaitStatus(api, id, "RUNNING", Duration.ofSeconds(60));
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        List<EventStream> streams = new ArrayList<>();
        try {
            for (int i = 0; i < VIEWERS; i++) {
                EventStream stream = EventStream.open(api, sse(id, null), Duration.ofSeconds(30));
                streams.add(stream);
                for (String line; (line = stream.readLine()) != null && !line.startsWith("data:"); ) {
                    // up to the viewer's first line
                }
            }
            int added = ManagementFactory.getThreadMXBean().getThreadCount() - threadsBefore;
            BenchResults.add(new BenchResults.Figure(53, "sse-viewer-threads", "Live log (SSE): threads added for "
                    + VIEWERS + " viewers", (double) added, "threads", null, "— (absolute target)", null, null, "< 25",
                    added < 25, "the whole JVM's thread count (service and the viewers' client), before and after "
                    + VIEWERS + " viewers each received a line"));
        } finally {
            for (EventStream stream : streams) {
                stream.close();
            }
            api.post("/api/rdagent/tasks/" + id + "/cancel", "");
            Tasks.awaitFinished(api, id, Duration.ofMinutes(1));
        }
    }

    private HttpRequest sse(long id, String lastEventId) {
        HttpRequest.Builder request = api.request("/api/rdagent/tasks/" + id + "/logs").header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return request.build();
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            memory.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Test
    void liveLogToFiftyViewers() throws Exception {
        awaitIdle();
        long id = Tasks.submit(api, "{\"loop_n\": 8, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0.1\"}}");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        // each viewer signs in once, as the admin (the stream itself is one long request)
        HttpRequest request = api.request("/api/rdagent/tasks/" + id + "/logs")
                .header("Accept", "text/event-stream").timeout(Duration.ofMinutes(2)).GET().build();
        List<Double> lags = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> viewers = new ArrayList<>();
        for (int v = 0; v < VIEWERS; v++) {
            Instant connected = Instant.now();
            viewers.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                    .thenAcceptAsync(response -> {
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException("a viewer got " + response.statusCode());
                        }
                        receive(response.body(), connected, lags);
                    }));
        }
        CompletableFuture.allOf(viewers.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
        Tasks.awaitFinished(api, id, Duration.ofMinutes(1));

        double p50 = BenchResults.percentile(lags, 50);
        double p99 = BenchResults.percentile(lags, 99);
        BenchResults.add(new BenchResults.Figure(50, "sse-lag-p50", "Live log (SSE) lag p50, " + VIEWERS + " viewers",
                p50, "ms", null, "— (absolute target)", null, null, "reported (target is on p99)", null,
                String.format("%d line deliveries timed (loguru timestamp of the line → received by the viewer); the "
                        + "follower reads every log every 100 ms.", lags.size())));
        BenchResults.add(new BenchResults.Figure(51, "sse-lag-p99", "Live log (SSE) lag p99, " + VIEWERS + " viewers",
                p99, "ms", null, "— (absolute target)", p99 / 500, "× target", "p99 ≤ 500 ms", p99 <= 500, null));
    }

    /** Reads one viewer's stream to its end event, timing every line that was printed after it connected. */
    private static void receive(Stream<String> lines, Instant connected, List<Double> lags) {
        lines.takeWhile(line -> !line.startsWith("event:end")).forEach(line -> {
            if (line.startsWith("data:")) {
                Instant printed = Processes.loguru(line.substring(5));
                if (printed != null && !printed.isBefore(connected)) {
                    lags.add(Duration.between(printed, Instant.now()).toNanos() / 1e6);
                }
            }
        });
        lines.close();
    }
}
