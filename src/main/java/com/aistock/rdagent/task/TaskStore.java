package com.aistock.rdagent.task;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HashMap;
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

/** The {@code rdagent_task} table. Every statement is a named SQL file with bound parameters. */
@Repository
public class TaskStore {

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonColumns columns;
    private final RowMapper<Task> rowMapper;
    /** A page of the list is only written out as JSON: its jsonb columns pass through as text, never parsed. */
    private final RowMapper<Task> pageRowMapper;
    private final TaskTotals totals = new TaskTotals();

    public TaskStore(NamedParameterJdbcTemplate jdbc, JsonColumns columns) {
        this.jdbc = jdbc;
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

    public TaskPage page(TaskStatus status, String q, int page, int size) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("status", status == null ? null : status.name())
                .addValue("q", q)
                .addValue("size", size)
                .addValue("offset", (long) page * size);
        List<Task> items = jdbc.query(SqlFiles.load("task-page"), params, pageRowMapper);
        long offset = (long) page * size;
        long total = items.size() < size && (page == 0 || !items.isEmpty()) ? offset + items.size()
                : totals.total(status, q, () -> jdbc.queryForObject(SqlFiles.load("task-count"), params, Long.class));
        return new TaskPage(items, total, page, size);
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
                json.read(rs, "cost"));
    }
}
