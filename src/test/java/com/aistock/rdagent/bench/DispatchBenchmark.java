package com.aistock.rdagent.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * POST → RD-Agent process start, over 50 sequential tasks with the simulator's step time at 0. Two clocks: the
 * JVM's own record (task row created → process spawned, both {@code now()} in PostgreSQL) and the client's (POST
 * sent → the simulator's first log line, which includes Python's start-up).
 */
class DispatchBenchmark extends IntegrationTest {

    private static final DateTimeFormatter LOGURU = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    @Test
    void postToProcessStart() throws IOException {
        List<Double> spawn = new ArrayList<>();
        List<Double> firstLine = new ArrayList<>();
        for (int i = 0; i < 55; i++) {
            Instant sent = Instant.now();
            long id = Tasks.submit(api, "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
            JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofSeconds(60));
            if (i < 5) {
                continue; // warm-up
            }
            Map<String, Object> row = jdbc.queryForMap(
                    "SELECT extract(epoch FROM heartbeat_at - created_at) * 1000 AS ms FROM rdagent_task WHERE id = ?", id);
            spawn.add(((Number) row.get("ms")).doubleValue());
            String first = Files.readAllLines(Path.of(task.path("workspace_path").asText(), "run.log")).get(0);
            Instant printed = LocalDateTime.parse(first.substring(0, 23), LOGURU).atZone(ZoneId.systemDefault()).toInstant();
            firstLine.add(Duration.between(sent, printed).toNanos() / 1e6);
        }
        String report = String.format("""
                Dispatch over %d tasks (simulator step time 0):
                  task row created -> process spawned (server side): median %.1f ms, p90 %.1f ms
                  POST sent -> simulator's first log line (incl. Python start-up): median %.1f ms, p90 %.1f ms
                """, spawn.size(), percentile(spawn, 50), percentile(spawn, 90),
                percentile(firstLine, 50), percentile(firstLine, 90));
        Files.createDirectories(Path.of("target", "bench"));
        Files.writeString(Path.of("target", "bench", "dispatch.txt"), report);
        System.out.println(report);
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
