package com.aistock.rdagent.bench;

import java.io.File;
import java.io.IOException;
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

import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Logs: a run printing 1 GiB into run.log (captured by the OS, not the JVM) against {@code cat} of the same bytes
 * to a file; and the live log over SSE to 50 viewers at once, lag from RD-Agent printing a line to each viewer
 * receiving it.
 */
class LogBenchmark extends BenchmarkContext {

    private static final long GIB = 1L << 30;
    private static final int VIEWERS = 50;

    @Test
    void aGibibyteThroughRunLog() throws IOException, InterruptedException {
        awaitIdle();
        String extraPerStep = Long.toString(GIB / 5 + 1); // one loop is five steps
        long id = Tasks.submit(api, "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\", "
                + "\"RDAGENT_SIM_LOG_BYTES\": \"" + extraPerStep + "\"}}");
        JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofMinutes(5));
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
