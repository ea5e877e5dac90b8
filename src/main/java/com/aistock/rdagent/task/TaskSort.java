package com.aistock.rdagent.task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.aistock.rdagent.system.ApiException;

/**
 * The orders of the task list: each key of {@code sort} maps to a fixed ORDER BY (never the caller's text), on a
 * column that has an index for each direction. NULLs come last both ways; the id breaks ties in the same direction.
 * A metric key reads the SOTA summary ({@code ic}) or the best one ({@code best_ic}).
 */
public record TaskSort(String key, String column, boolean descending) {

    /** Sort key → column. */
    private static final Map<String, String> COLUMNS = columns();

    /** Columns without NULLs (V1 declares them NOT NULL). */
    private static final Set<String> NOT_NULL = Set.of("id", "created_at");

    public static final TaskSort NEWEST = new TaskSort("id", "id", true);

    private static Map<String, String> columns() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("id", "id");
        columns.put("created_at", "created_at");
        columns.put("finished_at", "finished_at");
        columns.put("duration", "duration_seconds");
        columns.put("cost", "cost_usd");
        for (Metric metric : Metric.values()) {
            columns.put(metric.key(), "sota_" + metric.key());
        }
        for (Metric metric : Metric.values()) {
            columns.put("best_" + metric.key(), "best_" + metric.key());
        }
        return Map.copyOf(columns);
    }

    /** The metric keys a range filter takes ({@code min_<key>}, {@code max_<key>}), with their columns. */
    public static List<String> metricKeys() {
        List<String> keys = new ArrayList<>(Metric.keys());
        Metric.keys().forEach(key -> keys.add("best_" + key));
        return keys;
    }

    static String column(String key) {
        return COLUMNS.get(key);
    }

    /** {@code ic}, {@code -ic}: ascending or descending; blank is newest first. */
    public static TaskSort parse(String text) {
        if (text == null || text.isBlank()) {
            return NEWEST;
        }
        String key = text.strip();
        boolean descending = key.startsWith("-");
        if (descending) {
            key = key.substring(1);
        }
        String column = COLUMNS.get(key);
        if (column == null) {
            throw ApiException.validation("sort", "must be one of " + String.join(", ", sortKeys())
                    + ", optionally prefixed with - for descending");
        }
        return new TaskSort(key, column, descending);
    }

    static List<String> sortKeys() {
        List<String> keys = new ArrayList<>(List.of("id", "created_at", "finished_at", "duration", "cost"));
        keys.addAll(metricKeys());
        return keys;
    }

    /**
     * The ORDER BY clause: fixed text from the whitelist above. A column that is never NULL gets no NULLS LAST: the
     * planner matches an ORDER BY to an index only with the index's own NULLS order, and {@code id DESC NULLS LAST}
     * would sort the whole table instead of reading the primary key backwards.
     */
    String orderBy() {
        String direction = descending ? "DESC" : "ASC";
        if (column.equals("id")) {
            return "id " + direction;
        }
        return column + " " + direction + (NOT_NULL.contains(column) ? "" : " NULLS LAST") + ", id " + direction;
    }
}
