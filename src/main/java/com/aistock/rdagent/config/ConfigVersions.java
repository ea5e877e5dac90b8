package com.aistock.rdagent.config;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.aistock.rdagent.system.SqlFiles;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The history tables: one row per version of a managed file. */
@Repository
public class ConfigVersions {

    private final NamedParameterJdbcTemplate jdbc;

    public ConfigVersions(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public long insert(ManagedFile file, String sha256, String historyPath, ConfigChange change, OffsetDateTime createdAt) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("file", file.path())
                .addValue("historyPath", historyPath)
                .addValue("taskId", change.taskId())
                .addValue("sha256", sha256)
                .addValue("operator", change.operator())
                .addValue("note", change.note())
                .addValue("kind", change.kind().value())
                .addValue("createdAt", createdAt);
        return jdbc.queryForObject(file.historyTable().sql("insert"), params, Long.class);
    }

    /** @return the new version's id, or empty when this backup was imported before */
    public Optional<Long> insertLegacy(ManagedFile file, String sha256, String sourcePath, OffsetDateTime modified) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("file", file.path())
                .addValue("sha256", sha256)
                .addValue("operator", ConfigChange.FILESYSTEM)
                .addValue("note", "RD-Agent's backup " + RdAgentFiles.fileName(sourcePath))
                .addValue("createdAt", modified)
                .addValue("sourcePath", sourcePath);
        return jdbc.queryForList(SqlFiles.load("template-history-legacy"), params, Long.class).stream().findFirst();
    }

    public void replaced(ManagedFile file, long id, OffsetDateTime at, long by) {
        jdbc.update(file.historyTable().sql("replaced"), Map.of("id", id, "replacedAt", at, "replacedBy", by));
    }

    public void fill(ManagedFile file, long id, String sha256) {
        jdbc.update(file.historyTable().sql("fill"), Map.of("id", id, "sha256", sha256));
    }

    public void copied(ManagedFile file, long id, String historyPath) {
        jdbc.update(file.historyTable().sql("copied"), Map.of("id", id, "historyPath", historyPath));
    }

    /** Waits for, then holds until the transaction ends, the cluster-wide lock of one file. */
    public void lock(ManagedFile file) {
        jdbc.query(SqlFiles.load("config-lock"), Map.of("key", "rdagent-config:" + file.path()), rs -> null);
    }

    /** The version the file holds as far as the history knows; legacy imports are not part of that chain. */
    public Optional<ConfigVersion> newest(ManagedFile file) {
        return jdbc.query(file.historyTable().sql("newest"), Map.of("file", file.path()), mapper(file.historyTable()))
                .stream().findFirst();
    }

    public Optional<ConfigVersion> find(HistoryTable table, long id) {
        return jdbc.query(table.sql("select"), Map.of("id", id), mapper(table)).stream().findFirst();
    }

    public Optional<ConfigVersion> withContent(ManagedFile file, String sha256) {
        return jdbc.query(file.historyTable().sql("by-sha"), Map.of("file", file.path(), "sha256", sha256),
                mapper(file.historyTable())).stream().findFirst();
    }

    /** Newest first; {@code file} null lists every file of the table. */
    public List<ConfigVersion> page(HistoryTable table, String file, int page, int size) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("file", file)
                .addValue("size", size)
                .addValue("offset", (long) page * size);
        return jdbc.query(table.sql("page"), params, mapper(table));
    }

    public long count(HistoryTable table, String file) {
        Long count = jdbc.queryForObject(table.sql("count"), new MapSqlParameterSource("file", file), Long.class);
        return count == null ? 0 : count;
    }

    private static RowMapper<ConfigVersion> mapper(HistoryTable table) {
        return (rs, rowNum) -> map(table, rs);
    }

    private static ConfigVersion map(HistoryTable table, ResultSet rs) throws SQLException {
        String file = rs.getString("file");
        VersionKind kind = VersionKind.of(rs.getString("kind"));
        OffsetDateTime replacedAt = rs.getObject("replaced_at", OffsetDateTime.class);
        return new ConfigVersion(
                rs.getLong("id"),
                file,
                ManagedFile.of(table, file).historyName(),
                rs.getString("sha256"),
                kind,
                rs.getString("operator"),
                rs.getString("note"),
                rs.getObject("task_id", Long.class),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getString("history_path"),
                replacedAt,
                rs.getObject("replaced_by", Long.class),
                rs.getString("source_path"),
                replacedAt == null && kind != VersionKind.LEGACY);
    }
}
