package com.aistock.rdagent.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.aistock.rdagent.support.Api;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * {@code GET /api/rdagent/tasks?size=50} with 100,000 tasks in the table, 16 clients in a closed loop; baseline:
 * {@code GET /actuator/health} on the same server, same load. Both as a machine client calls the API: a VIEWER
 * bearer token on every request (the health endpoint is public, so there it only costs the same check). Then the
 * same list with HTTP Basic, against the bearer figure: a VIEWER user whose password hash has production's bcrypt
 * cost (10; the test service itself uses 4). The rows and the user are inserted by SQL and removed afterwards.
 */
class ApiBenchmark extends BenchmarkContext {

    private static final int ROWS = Integer.getInteger("bench.api.rows", 100_000);
    private static final int CLIENTS = 16;
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Duration RUN = Duration.ofSeconds(Integer.getInteger("bench.api.seconds", 15));
    private static final int MAX_REQUESTS = 200_000;
    private static final String BASIC_USER = "bench-basic";
    private static final String BASIC_PASSWORD = "bench-basic-password";
    private String authorization;

    @Test
    void taskListWithAHundredThousandTasks() throws IOException, InterruptedException {
        awaitIdle();
        long before = jdbc.queryForObject("SELECT coalesce(max(id), 0) FROM rdagent_task", Long.class);
        jdbc.update("""
                INSERT INTO rdagent_task (name, scenario, status, origin, priority, params, config_hash, config_manifest,
                                          operator, created_at, started_at, finished_at, exit_code, metrics, progress)
                SELECT 'bench ' || g, 'fin_quant', (ARRAY['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'])[1 + g % 4], 'api', 0,
                       jsonb_build_object('name', 'bench ' || g, 'loop_n', 3, 'env', jsonb_build_object('CHAT_MODEL', 'gpt-4o')),
                       repeat('a', 64),
                       jsonb_build_object('conf_baseline.yaml', jsonb_build_object('sha256', repeat('b', 64), 'history_id', null)),
                       'bench', now() - g * interval '1 minute', now() - g * interval '1 minute',
                       now() - g * interval '1 minute' + interval '30 seconds', 0,
                       jsonb_build_object('sota', jsonb_build_object('loop', 0, 'experiment', 'e' || g, 'decision', true, 'values', jsonb_build_object('ic', 0.03))),
                       jsonb_build_object('loop', 2, 'loops_total', 3, 'step', 4, 'step_name', 'record', 'percent', 100)
                  FROM generate_series(1, ?) AS g
                """, ROWS);
        // as autovacuum leaves a table that stopped growing: statistics and visibility map up to date
        jdbc.execute("VACUUM ANALYZE rdagent_task");
        Api.Response token = api.post("/api/rdagent/tokens",
                "{\"name\": \"bench-" + System.nanoTime() + "\", \"role\": \"VIEWER\"}");
        if (token.status() != 201) {
            throw new AssertionError("cannot create the benchmark's token: " + token.body());
        }
        authorization = "Bearer " + token.json().path("secret").asText();
        try {
            HttpLoad.Result list = measure("/api/rdagent/tasks?size=50");
            HttpLoad.Result health = measure("/actuator/health");
            double p99 = BenchResults.percentile(list.latenciesMillis(), 99);
            double ratio = list.perSecond() / health.perSecond();
            BenchResults.add(new BenchResults.Figure(30, "api-rate", "API: GET /tasks?size=50, " + ROWS + " tasks, "
                    + CLIENTS + " clients", list.perSecond(), "req/s", health.perSecond(), "GET /actuator/health",
                    ratio, "× (rate)", "≥ 0.5 × baseline", ratio >= 0.5,
                    String.format("%d requests in %.1f s (%d failed); health %d in %.1f s (%d failed). Closed loop, "
                                    + "java.net.http clients in the same JVM, sharing the 2 cores with the server, VIEWER bearer token.",
                            list.requests(), list.seconds(), list.failures(), health.requests(), health.seconds(),
                            health.failures())));
            BenchResults.add(new BenchResults.Figure(31, "api-p99", "API: GET /tasks?size=50 p99 latency", p99, "ms",
                    BenchResults.percentile(health.latenciesMillis(), 99), "GET /actuator/health p99",
                    p99 / BenchResults.percentile(health.latenciesMillis(), 99), "× (time)", "p99 ≤ 50 ms", p99 <= 50,
                    String.format("p50 %.1f ms (health p50 %.1f ms).", BenchResults.percentile(list.latenciesMillis(), 50),
                            BenchResults.percentile(health.latenciesMillis(), 50))));
            wrkFigure();
            basicFigure(list);
        } finally {
            jdbc.update("DELETE FROM rdagent_user WHERE username = ?", BASIC_USER);
            jdbc.update("DELETE FROM rdagent_task WHERE id > ? AND operator = 'bench'", before);
            api.delete("/api/rdagent/tokens/" + token.json().path("token").path("id").asLong());
        }
    }

    /** HTTP Basic against the bearer token, same list, same load. */
    private void basicFigure(HttpLoad.Result bearer) throws InterruptedException {
        jdbc.update("INSERT INTO rdagent_user (username, password_hash, role) VALUES (?, ?, 'VIEWER')", BASIC_USER,
                new BCryptPasswordEncoder(10).encode(BASIC_PASSWORD));
        String token = authorization;
        authorization = "Basic " + Base64.getEncoder().encodeToString(
                (BASIC_USER + ":" + BASIC_PASSWORD).getBytes(StandardCharsets.UTF_8));
        try {
            HttpLoad.Result basic = measure("/api/rdagent/tasks?size=50");
            double ratio = basic.perSecond() / bearer.perSecond();
            BenchResults.add(new BenchResults.Figure(33, "api-basic-rate", "API: GET /tasks?size=50 with HTTP Basic, "
                    + CLIENTS + " clients", basic.perSecond(), "req/s", bearer.perSecond(), "the same with a bearer token",
                    ratio, "× (rate)", "≥ 0.5 × baseline", ratio >= 0.5,
                    String.format(Locale.ROOT, "%d requests in %.1f s (%d failed), p50 %.1f ms, p99 %.1f ms; a VIEWER "
                                    + "user with a bcrypt cost-10 hash (production's), verified once and then "
                                    + "remembered as a keyed hash.", basic.requests(), basic.seconds(),
                            basic.failures(), BenchResults.percentile(basic.latenciesMillis(), 50),
                            BenchResults.percentile(basic.latenciesMillis(), 99))));
        } finally {
            authorization = token;
        }
    }

    /**
     * The same load from a separate, lighter client process, when Debian's {@code wrk} is installed (the benchmark
     * installs nothing): how much of the in-JVM latency is the Java clients' own share of the 2 cores.
     */
    private void wrkFigure() throws IOException, InterruptedException {
        String title = "API: GET /tasks?size=50 p99, client in a separate process (wrk)";
        if (!Files.isExecutable(Path.of("/usr/bin/wrk"))) {
            BenchResults.notMeasured(32, "api-p99-wrk", title, "p99 ≤ 50 ms",
                    "not measured: /usr/bin/wrk is not installed (apt-get install wrk); the benchmark installs nothing");
            return;
        }
        wrk("/api/rdagent/tasks?size=50", WARM_UP);
        Wrk list = wrk("/api/rdagent/tasks?size=50", RUN);
        Wrk health = wrk("/actuator/health", RUN);
        BenchResults.add(new BenchResults.Figure(32, "api-p99-wrk", title, list.p99Millis(), "ms", health.p99Millis(),
                "GET /actuator/health p99, wrk", list.p99Millis() / health.p99Millis(), "× (time)", "p99 ≤ 50 ms",
                list.p99Millis() <= 50,
                String.format(Locale.ROOT, "wrk -t2 -c%d -d%ds --latency, same token: %.0f req/s, p50 %.1f ms; health "
                                + "%.0f req/s, p50 %.1f ms. wrk still shares the 2 cores with the server.", CLIENTS,
                        RUN.toSeconds(), list.perSecond(), list.p50Millis(), health.perSecond(), health.p50Millis())));
    }

    private record Wrk(double perSecond, double p50Millis, double p99Millis) {
    }

    private static final Pattern WRK_PERCENTILE = Pattern.compile("^\\s*(50|99)%\\s+([\\d.]+)(us|ms|s)\\s*$");

    private Wrk wrk(String path, Duration duration) throws IOException, InterruptedException {
        Process wrk = new ProcessBuilder("/usr/bin/wrk", "-t2", "-c" + CLIENTS, "-d" + duration.toSeconds() + "s",
                "--latency", "-H", "Authorization: " + authorization, api.uri(path).toString())
                .redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!wrk.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS) || wrk.exitValue() != 0
                || output.contains("Non-2xx")) {
            throw new AssertionError("wrk " + path + " failed:\n" + output);
        }
        double rate = 0;
        double p50 = 0;
        double p99 = 0;
        for (String line : output.split("\n")) {
            Matcher percentile = WRK_PERCENTILE.matcher(line);
            if (percentile.matches()) {
                double value = Double.parseDouble(percentile.group(2))
                        * switch (percentile.group(3)) { case "us" -> 0.001; case "s" -> 1000; default -> 1; };
                if (percentile.group(1).equals("50")) {
                    p50 = value;
                } else {
                    p99 = value;
                }
            } else if (line.startsWith("Requests/sec:")) {
                rate = Double.parseDouble(line.substring("Requests/sec:".length()).strip());
            }
        }
        return new Wrk(rate, p50, p99);
    }

    private HttpLoad.Result measure(String path) throws InterruptedException {
        HttpLoad.run(api.uri(path), authorization, CLIENTS, WARM_UP, MAX_REQUESTS);
        HttpLoad.Result result = HttpLoad.run(api.uri(path), authorization, CLIENTS, RUN, MAX_REQUESTS);
        if (result.failures() > 0) {
            throw new AssertionError(result.failures() + " of " + result.requests() + " requests to " + path + " failed");
        }
        return result;
    }
}
