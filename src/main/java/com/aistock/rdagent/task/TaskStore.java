package com.aistock.rdagent.task;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.aistock.rdagent.system.JsonColumns;
import com.aistock.rdagent.system.SqlFiles;
import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The {@code rdagent_task} table. Every statement is a named SQL file with bound parameters. */
@Repository
public class TaskStore {

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonColumns columns;
    private final RowMapper<Task> rowMapper;
    /** A page of the list is only written out as JSON: its jsonb columns pass through as text, never parsed. */
    private final RowMapper<Task> pageRowMapper;
    private final TaskTotals totals = new TaskTotals();
    /** The list's reads, each in a transaction of its own that plans them for the filters actually set. */
    private final TransactionTemplate customPlans;

    public TaskStore(NamedParameterJdbcTemplate jdbc, JsonColumns columns, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.customPlans = new TransactionTemplate(transactions);
        this.customPlans.setReadOnly(true);
        this.columns = columns;
        this.rowMapper = (rs, i) -> map(rs, columns::read);
        this.pageRowMapper = (rs, i) -> map(rs, columns::readRaw);
    }

    public long insert(NewTask task) {
        TaskRequest request = task.request();
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("name", request.name())
                .addValue("scenario", request.scenario())
                .addValue("origin", task.origin())
                .addValue("batchId", task.batchId())
                .addValue("scheduleId", task.scheduleId())
                .addValue("rerunOf", task.rerunOf())
                .addValue("clonedFrom", task.clonedFrom())
                .addValue("datasetId", task.datasetId())
                .addValue("priority", request.priority() == null ? 0 : request.priority())
                .addValue("params", columns.write(request))
                .addValue("configHash", task.snapshot().configHash())
                .addValue("configManifest", columns.write(task.snapshot().manifest()))
                .addValue("operator", task.operator())
                .addValue("maxAttempts", request.maxAttempts() == null ? 1 : request.maxAttempts());
        return jdbc.queryForObject(SqlFiles.load("task-insert"), params, Long.class);
    }

    public long insertRerun(long originalId, String operator) {
        return jdbc.queryForObject(SqlFiles.load("task-insert-rerun"), Map.of("id", originalId, "operator", operator),
                Long.class);
    }

    public boolean resume(long id) {
        return jdbc.update(SqlFiles.load("task-resume"), Map.of("id", id)) == 1;
    }

    public Optional<Task> find(long id) {
        return jdbc.query(SqlFiles.load("task-select"), Map.of("id", id), rowMapper).stream().findFirst();
    }

    public TaskPage page(TaskFilter filter, TaskSort sort, int page, int size) {
        MapSqlParameterSource params = filter.parameters()
                .addValue("size", size)
                .addValue("offset", (long) page * size);
        return customPlans.execute(status -> {
            jdbc.getJdbcTemplate().execute(SqlFiles.load("task-list-custom-plan"));
            List<Task> items = jdbc.query(filtered("task-page", sort), params, pageRowMapper);
            long offset = (long) page * size;
            long total = items.size() < size && (page == 0 || !items.isEmpty()) ? offset + items.size()
                    : totals.total(filter, () -> jdbc.queryForObject(filtered("task-count", sort), params, Long.class));
            return new TaskPage(items, total, page, size);
        });
    }

    /** The first {@code limit} tasks of the list in its order, as the leaderboard's CSV shows them. */
    public List<LeaderboardRow> leaderboard(TaskFilter filter, TaskSort sort, int limit) {
        MapSqlParameterSource params = filter.parameters().addValue("size", limit).addValue("offset", 0);
        return customPlans.execute(status -> {
            jdbc.getJdbcTemplate().execute(SqlFiles.load("task-list-custom-plan"));
            return leaderboardRows(params, sort);
        });
    }

    private List<LeaderboardRow> leaderboardRows(MapSqlParameterSource params, TaskSort sort) {
        return jdbc.query(filtered("task-page", sort), params, (rs, i) -> {
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (String key : TaskSort.metricKeys()) {
                metrics.put(key, rs.getObject(TaskSort.column(key), Double.class));
            }
            return new LeaderboardRow(rs.getLong("id"), rs.getString("name"), TaskStatus.valueOf(rs.getString("status")),
                    rs.getString("scenario"), rs.getObject("dataset_id", Long.class),
                    rs.getObject("created_at", OffsetDateTime.class), rs.getObject("finished_at", OffsetDateTime.class),
                    rs.getObject("duration_seconds", Double.class), metrics,
                    List.of((String[]) rs.getArray("tags").getArray()), rs.getBoolean("starred"), rs.getString("note"));
        });
    }

    /** A statement of the list with the shared filter and the sort's fixed ORDER BY in their places. */
    private static String filtered(String purpose, TaskSort sort) {
        return SqlFiles.load(purpose).replace("{filter}", SqlFiles.load("task-filter")).replace("{order}", sort.orderBy());
    }

    /** @return whether the task exists (and now has these labels) */
    public boolean label(long id, TaskLabels labels) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("id", id)
                .addValue("tags", labels.tags() == null ? null : labels.tags().toArray(String[]::new))
                .addValue("setNote", labels.setNote())
                .addValue("note", labels.note())
                .addValue("starred", labels.starred());
        return jdbc.update(SqlFiles.load("task-label"), params) == 1;
    }

    /** The tags in use, most used first. */
    public List<TaskLabels.TagCount> tags(int limit) {
        return jdbc.query(SqlFiles.load("task-tags"), Map.of("limit", limit),
                (rs, i) -> new TaskLabels.TagCount(rs.getString("tag"), rs.getLong("tasks")));
    }

    /** @return whether the task was still pending, and so is now cancelled without ever starting */
    public boolean cancelPending(long id) {
        return jdbc.update(SqlFiles.load("task-cancel-pending"), Map.of("id", id)) == 1;
    }

    public boolean requestCancel(long id) {
        return jdbc.update(SqlFiles.load("task-request-cancel"), Map.of("id", id)) == 1;
    }

    public void recordWorkspace(long id, int attempt, String workspacePath) {
        jdbc.update(SqlFiles.load("task-workspace"),
                Map.of("id", id, "attempt", attempt, "workspacePath", workspacePath));
    }

    public void recordProcess(long id, int attempt, String node, long pid, long pidStarted) {
        jdbc.update(SqlFiles.load("task-process-started"), Map.of("id", id, "attempt", attempt, "node", node,
                "pid", pid, "pidStarted", pidStarted));
    }

    /**
     * Renews the lease of this node's running attempts (task id → attempt). Answers, for each attempt that still
     * holds its task, whether a user asked to cancel it; an attempt missing from the answer has lost its task.
     */
    public Map<Long, Boolean> heartbeat(String node, Map<Long, Integer> attempts) {
        List<Long> ids = List.copyOf(attempts.keySet());
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("node", node)
                .addValue("ids", ids.toArray(Long[]::new))
                .addValue("attempts", ids.stream().map(attempts::get).toArray(Integer[]::new));
        Map<Long, Boolean> held = new HashMap<>();
        jdbc.query(SqlFiles.load("task-heartbeat"), params,
                (RowCallbackHandler) rs -> held.put(rs.getLong("id"),
                        rs.getBoolean("cancel_requested")));
        return held;
    }

    /** @return whether the outcome was written: false when the attempt no longer holds the task */
    public boolean finish(TaskOutcome outcome) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("id", outcome.taskId())
                .addValue("attempt", outcome.attempt())
                .addValue("status", outcome.status().name())
                .addValue("exitCode", outcome.exitCode())
                .addValue("stopReason", outcome.stopReason())
                .addValue("error", outcome.error())
                .addValue("metrics", columns.write(outcome.metrics()))
                .addValue("warnings", outcome.warnings().isEmpty() ? null : columns.write(outcome.warnings()))
                .addValue("archivePath", outcome.archivePath());
        return jdbc.update(SqlFiles.load("task-finish"), params) == 1;
    }

    private interface JsonColumn {
        JsonNode read(ResultSet rs, String column) throws SQLException;
    }

    private static Task map(ResultSet rs, JsonColumn json) throws SQLException {
        return new Task(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("scenario"),
                TaskStatus.valueOf(rs.getString("status")),
                rs.getString("origin"),
                rs.getObject("batch_id", UUID.class),
                rs.getObject("schedule_id", Long.class),
                rs.getObject("rerun_of", Long.class),
                rs.getObject("cloned_from", Long.class),
                rs.getObject("dataset_id", Long.class),
                rs.getInt("priority"),
                json.read(rs, "params"),
                json.read(rs, "progress"),
                json.read(rs, "metrics"),
                rs.getString("config_hash"),
                json.read(rs, "config_manifest"),
                rs.getString("workspace_path"),
                rs.getString("archive_path"),
                rs.getObject("pid", Long.class),
                rs.getString("node"),
                rs.getInt("attempt"),
                rs.getObject("exit_code", Integer.class),
                rs.getString("stop_reason"),
                rs.getString("error"),
                json.read(rs, "warnings"),
                rs.getString("operator"),
                rs.getBoolean("cancel_requested"),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("started_at", OffsetDateTime.class),
                rs.getObject("finished_at", OffsetDateTime.class),
                List.of((String[]) rs.getArray("tags").getArray()),
                rs.getString("note"),
                rs.getBoolean("starred"),
                json.read(rs, "cost"));
    }
}
