package com.aistock.rdagent.task;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * Which tasks a list (or its CSV) shows; null means "any". {@code accepted}: only tasks with a SOTA result
 * (RD-Agent accepted at least one experiment). {@code min}/{@code max}: inclusive metric ranges by
 * {@link TaskSort#metricKeys()} key.
 */
public record TaskFilter(TaskStatus status, String q, Long datasetId, String scenario, Long scheduleId, UUID batchId,
                         String tag, Boolean starred, Boolean accepted, OffsetDateTime createdFrom,
                         OffsetDateTime createdTo, Map<String, Double> min, Map<String, Double> max) {

    public static final TaskFilter ALL = new TaskFilter(null, null, null, null, null, null, null, null, null, null,
            null, Map.of(), Map.of());

    public TaskFilter {
        min = Map.copyOf(min);
        max = Map.copyOf(max);
    }

    /** Only the tasks of one batch (a batch shown as a leaderboard). */
    public static TaskFilter batch(UUID batchId) {
        return new TaskFilter(null, null, null, null, null, batchId, null, null, null, null, null, Map.of(), Map.of());
    }

    /** The bound parameters of sql/task-filter.sql. */
    MapSqlParameterSource parameters() {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("status", status == null ? null : status.name())
                .addValue("q", q)
                .addValue("datasetId", datasetId)
                .addValue("scenario", scenario)
                .addValue("scheduleId", scheduleId)
                .addValue("batchId", batchId == null ? null : batchId.toString())
                .addValue("tag", tag)
                .addValue("starred", starred)
                .addValue("accepted", accepted)
                .addValue("createdFrom", createdFrom)
                .addValue("createdTo", createdTo);
        for (String key : TaskSort.metricKeys()) {
            params.addValue("min_" + key, min.get(key));
            params.addValue("max_" + key, max.get(key));
        }
        return params;
    }
}
