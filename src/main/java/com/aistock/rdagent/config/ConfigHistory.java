package com.aistock.rdagent.config;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The history tables: one row per saved version of a managed file. */
@Repository
public class ConfigHistory {

    private final NamedParameterJdbcTemplate jdbc;

    public ConfigHistory(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public long insert(HistoryTable table, String file, String historyPath, String sha256, ConfigChange change) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("file", file)
                .addValue("historyPath", historyPath)
                .addValue("taskId", change.taskId())
                .addValue("sha256", sha256)
                .addValue("operator", change.operator())
                .addValue("note", change.note())
                .addValue("action", change.action());
        return jdbc.queryForObject(table.sql("insert"), params, Long.class);
    }

    public Optional<HistoryEntry> find(HistoryTable table, long id) {
        return jdbc.query(table.sql("select"), Map.of("id", id), ConfigHistory::map).stream().findFirst();
    }

    /** Newest first; {@code file} null lists every file of the table. */
    public List<HistoryEntry> page(HistoryTable table, String file, int page, int size) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("file", file)
                .addValue("size", size)
                .addValue("offset", (long) page * size);
        return jdbc.query(table.sql("page"), params, ConfigHistory::map);
    }

    public long count(HistoryTable table, String file) {
        Long count = jdbc.queryForObject(table.sql("count"), new MapSqlParameterSource("file", file), Long.class);
        return count == null ? 0 : count;
    }

    private static HistoryEntry map(ResultSet rs, int rowNum) throws SQLException {
        return new HistoryEntry(
                rs.getLong("id"),
                rs.getString("file"),
                rs.getString("history_path"),
                rs.getString("sha256"),
                rs.getString("operator"),
                rs.getString("note"),
                rs.getObject("task_id", Long.class),
                rs.getString("action"),
                rs.getObject("created_at", OffsetDateTime.class));
    }
}
