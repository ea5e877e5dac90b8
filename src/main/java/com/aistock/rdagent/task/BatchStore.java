package com.aistock.rdagent.task;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.aistock.rdagent.system.JsonColumns;
import com.aistock.rdagent.system.SqlFiles;
import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code rdagent_batch} table. */
@Repository
public class BatchStore {

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonColumns columns;
    private final RowMapper<Batch> rowMapper;

    public BatchStore(NamedParameterJdbcTemplate jdbc, JsonColumns columns) {
        this.jdbc = jdbc;
        this.columns = columns;
        this.rowMapper = (rs, i) -> new Batch(rs.getObject("id", UUID.class), rs.getString("name"),
                columns.read(rs, "grid"), rs.getString("state"), rs.getObject("max_concurrent", Integer.class),
                rs.getString("created_by"), rs.getObject("created_at", OffsetDateTime.class),
                columns.read(rs, "counts"));
    }

    public UUID insert(String name, JsonNode grid, Integer maxConcurrent, String operator) {
        UUID id = UUID.randomUUID();
        jdbc.update(SqlFiles.load("batch-insert"), new MapSqlParameterSource()
                .addValue("id", id)
                .addValue("name", name)
                .addValue("grid", columns.write(grid))
                .addValue("maxConcurrent", maxConcurrent)
                .addValue("operator", operator));
        return id;
    }

    public Optional<Batch> find(UUID id) {
        return jdbc.query(SqlFiles.load("batch-select"), Map.of("id", id), rowMapper).stream().findFirst();
    }

    public BatchPage page(int page, int size) {
        List<Batch> items = jdbc.query(SqlFiles.load("batch-page"), Map.of("size", size, "offset", (long) page * size),
                rowMapper);
        Long total = jdbc.queryForObject(SqlFiles.load("batch-count"), Map.of(), Long.class);
        return new BatchPage(items, total == null ? 0 : total, page, size);
    }

    /** @return whether the batch moved from {@code from} to {@code to} */
    public boolean changeState(UUID id, String from, String to) {
        return jdbc.update(SqlFiles.load("batch-state"), Map.of("id", id, "from", from, "to", to)) == 1;
    }

    public void cancel(UUID id) {
        jdbc.update(SqlFiles.load("batch-cancel"), Map.of("id", id));
    }

    /** @param maxConcurrent null: no limit of its own */
    public void limit(UUID id, Integer maxConcurrent) {
        jdbc.update(SqlFiles.load("batch-limit"), new MapSqlParameterSource("id", id)
                .addValue("maxConcurrent", maxConcurrent));
    }

    /** The batch's tasks that are still pending or running. */
    public List<Long> unfinishedTasks(UUID id) {
        return jdbc.queryForList(SqlFiles.load("batch-unfinished-tasks"), Map.of("id", id), Long.class);
    }
}
