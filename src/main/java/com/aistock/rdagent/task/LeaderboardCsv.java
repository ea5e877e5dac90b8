package com.aistock.rdagent.task;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The leaderboard as CSV for Excel: the list's filters and sort, UTF-8 with a byte-order mark (without it Excel reads
 * Chinese as its legacy code page), RFC 4180 quoting. Served by Spring MVC to answer with bytes of its own type.
 */
@RestController
public class LeaderboardCsv {

    /** Rows in one file: a longer list is narrowed by its filters first. */
    public static final int MAX_ROWS = 10_000;
    private static final String BOM = "\uFEFF";

    private final TaskStore tasks;

    public LeaderboardCsv(TaskStore tasks) {
        this.tasks = tasks;
    }

    @GetMapping("/api/rdagent/tasks.csv")
    public ResponseEntity<byte[]> csv(@RequestParam MultiValueMap<String, String> query) {
        Map<String, Object> single = new HashMap<>();
        query.forEach((name, values) -> single.put(name, values.size() == 1 ? values.get(0) : values));
        TaskFilter filter = TaskApi.filter(single);
        TaskSort sort = TaskSort.parse(TaskApi.param(single, "sort"));
        StringBuilder csv = new StringBuilder(BOM);
        List<String> header = new ArrayList<>(List.of("id", "name", "status", "scenario", "dataset_id", "created_at",
                "finished_at", "duration_seconds"));
        header.addAll(TaskSort.metricKeys());
        header.addAll(List.of("tags", "starred", "note"));
        line(csv, header);
        for (LeaderboardRow row : tasks.leaderboard(filter, sort, MAX_ROWS)) {
            List<String> cells = new ArrayList<>(List.of(Long.toString(row.id()), text(row.name()),
                    row.status().name(), row.scenario(), value(row.datasetId()), value(row.createdAt()),
                    value(row.finishedAt()), value(row.durationSeconds())));
            TaskSort.metricKeys().forEach(key -> cells.add(value(row.metrics().get(key))));
            cells.add(text(String.join(";", row.tags())));
            cells.add(Boolean.toString(row.starred()));
            cells.add(text(row.note()));
            line(csv, cells);
        }
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename("rdagent-leaderboard.csv").build().toString())
                .body(csv.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void line(StringBuilder csv, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                csv.append(',');
            }
            String cell = cells.get(i);
            if (cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0 || cell.indexOf('\r') >= 0) {
                csv.append('"').append(cell.replace("\"", "\"\"")).append('"');
            } else {
                csv.append(cell);
            }
        }
        csv.append("\r\n");
    }

    /** Free text; a leading =, +, - or @ would make Excel run it as a formula, so it is quoted with '. */
    private static String text(String value) {
        if (value == null) {
            return "";
        }
        return !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    }

    private static String value(Object value) {
        return value == null ? "" : value.toString();
    }
}
