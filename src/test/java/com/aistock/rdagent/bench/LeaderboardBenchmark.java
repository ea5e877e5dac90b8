package com.aistock.rdagent.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import com.aistock.rdagent.config.RdAgentFiles;
import com.aistock.rdagent.config.TemplateBlobStore;
import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.system.RdAgentInstallation;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The leaderboard at 100,000 tasks: {@code GET /tasks?sort=-ic&min_ic=0.02&size=50} against the unsorted list as
 * baseline, one client in a closed loop (no queueing: each request's time is the server's plus the loopback), same
 * run; then {@code GET /tasks/compare} of 50 runs that differ in a template version (its changed keys are worked
 * out by rendering both versions) and in a parameter. Rows inserted by SQL, removed afterwards.
 */
class LeaderboardBenchmark extends BenchmarkContext {

    private static final int ROWS = Integer.getInteger("bench.api.rows", 100_000);
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Duration RUN = Duration.ofSeconds(Integer.getInteger("bench.api.seconds", 15));

    @Autowired
    private TemplateBlobStore blobs;

    @Autowired
    private RdAgentInstallation installation;

    @Test
    void sortedFilteredLeaderboardAndCompareOfFiftyRuns() throws Exception {
        awaitIdle();
        String file = RdAgentFiles.TEMPLATES.get(0);
        String live = Files.readString(installation.home().resolve(file));
        String shaA = store(live);
        String shaB = store(live.replace("topk: 10", "topk: 7"));
        long before = jdbc.queryForObject("SELECT coalesce(max(id), 0) FROM rdagent_task", Long.class);
        // metrics spread over their ranges; every tenth task has no accepted result (NULL metrics)
        jdbc.update("""
                INSERT INTO rdagent_task (name, scenario, status, origin, priority, params, config_hash, config_manifest,
                                          operator, created_at, started_at, finished_at, exit_code, metrics)
                SELECT 'bench ' || g, 'fin_quant', 'SUCCEEDED', 'api', 0,
                       jsonb_build_object('name', 'bench ' || g, 'loop_n', 3 + g % 2, 'env', jsonb_build_object('CHAT_MODEL', 'gpt-4o')),
                       repeat('a', 64),
                       jsonb_build_object(?, jsonb_build_object('sha256', CASE WHEN g % 2 = 0 THEN ? ELSE ? END,
                                                                'version_id', 1 + g % 2)),
                       'bench', now() - g * interval '1 minute', now() - g * interval '1 minute',
                       now() - g * interval '1 minute' + (g % 97) * interval '1 minute', 0,
                       CASE WHEN g % 10 <> 0 THEN jsonb_build_object(
                           'sota', jsonb_build_object('loop', 0, 'experiment', 'e' || g, 'decision', true, 'values',
                               jsonb_build_object('ic', ((g::bigint * 7919) % 1000) / 10000.0 - 0.02,
                                                  'annualized_return', ((g::bigint * 104729) % 1000) / 2000.0 - 0.2,
                                                  'max_drawdown', -((g::bigint * 31) % 500) / 1000.0)),
                           'best', jsonb_build_object('loop', 0, 'experiment', 'e' || g, 'decision', true, 'values',
                               jsonb_build_object('ic', ((g::bigint * 7919) % 1000) / 10000.0 - 0.01)),
                           'rank_by', 'annualized_return', 'experiments', 3) END
                  FROM generate_series(1, ?) AS g
                """, file, shaA, shaB, ROWS);
        jdbc.execute("VACUUM ANALYZE rdagent_task");
        String authorization = "Basic " + java.util.Base64.getEncoder().encodeToString(
                ("admin:" + Api.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        try {
            HttpLoad.Result unsorted = measure("/api/rdagent/tasks?size=50", authorization);
            HttpLoad.Result sorted = measure("/api/rdagent/tasks?size=50&sort=-ic&min_ic=0.02", authorization);
            double p99 = BenchResults.percentile(sorted.latenciesMillis(), 99);
            double baseline = BenchResults.percentile(unsorted.latenciesMillis(), 99);
            BenchResults.add(new BenchResults.Figure(34, "leaderboard-p99", "Leaderboard: GET /tasks?sort=-ic&min_ic=0.02"
                    + "&size=50 p99, " + ROWS + " tasks, 1 client", p99, "ms", baseline, "unsorted GET /tasks?size=50 p99",
                    p99 / baseline, "× (time)", "p99 ≤ 50 ms", p99 <= 50,
                    String.format(Locale.ROOT, "%d sorted requests in %.1f s, p50 %.1f ms; unsorted %d in %.1f s, p50 "
                                    + "%.1f ms. One client in a closed loop, in the same JVM as the server.",
                            sorted.requests(), sorted.seconds(), BenchResults.percentile(sorted.latenciesMillis(), 50),
                            unsorted.requests(), unsorted.seconds(),
                            BenchResults.percentile(unsorted.latenciesMillis(), 50))));

            List<Long> ids = jdbc.queryForList("SELECT id FROM rdagent_task WHERE id > ? AND operator = 'bench'"
                    + " ORDER BY id LIMIT 50", Long.class, before);
            String compare = "/api/rdagent/tasks/compare?ids="
                    + ids.stream().map(String::valueOf).collect(Collectors.joining(","));
            Api.Response answer = api.get(compare);
            if (answer.status() != 200 || !answer.body().contains("port_analysis_config.strategy.kwargs.topk")) {
                throw new AssertionError("compare did not answer its differences: " + answer.body());
            }
            HttpLoad.Result compared = measure(compare, authorization);
            double compareP99 = BenchResults.percentile(compared.latenciesMillis(), 99);
            BenchResults.add(new BenchResults.Figure(35, "compare-50", "Compare: GET /tasks/compare of 50 runs, p99",
                    compareP99, "ms", baseline, "unsorted GET /tasks?size=50 p99", compareP99 / baseline, "× (time)",
                    "≤ 1 s", compareP99 <= 1000,
                    String.format(Locale.ROOT, "%d requests in %.1f s, p50 %.1f ms; the runs differ in loop_n and in "
                                    + "a template version, whose changed keys are found by rendering both versions.",
                            compared.requests(), compared.seconds(),
                            BenchResults.percentile(compared.latenciesMillis(), 50))));
        } finally {
            jdbc.update("DELETE FROM rdagent_task WHERE id > ? AND operator = 'bench'", before);
        }
    }

    private HttpLoad.Result measure(String path, String authorization) throws InterruptedException {
        HttpLoad.run(api.uri(path), authorization, 1, WARM_UP, Integer.MAX_VALUE);
        HttpLoad.Result result = HttpLoad.run(api.uri(path), authorization, 1, RUN, Integer.MAX_VALUE);
        if (result.failures() > 0) {
            throw new AssertionError(result.failures() + " of " + result.requests() + " requests to " + path + " failed");
        }
        return result;
    }

    private String store(String content) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        blobs.save(sha, bytes);
        return sha;
    }
}
