package com.aistock.rdagent.run;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import com.aistock.rdagent.system.JsonColumns;
import com.aistock.rdagent.system.SqlFiles;
import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code rdagent_task_loop} table. */
@Repository
public class LoopStore {

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonColumns columns;

    public LoopStore(NamedParameterJdbcTemplate jdbc, JsonColumns columns) {
        this.jdbc = jdbc;
        this.columns = columns;
    }

    /** Sets the given columns of one loop; null leaves a column as it is. */
    public void merge(long taskId, int loop, String hypothesis, String reason, JsonNode tasks, JsonNode metrics,
                      Boolean decision, String decisionReason) {
        jdbc.update(SqlFiles.load("loop-upsert"), new MapSqlParameterSource()
                .addValue("taskId", taskId)
                .addValue("loop", loop)
                .addValue("hypothesis", hypothesis)
                .addValue("reason", reason)
                .addValue("tasks", tasks == null ? null : tasks.toString())
                .addValue("metrics", metrics == null ? null : metrics.toString())
                .addValue("decision", decision)
                .addValue("decisionReason", decisionReason));
    }

    /** Adds a loop the events missed, or its metrics when they did not arrive; never overwrites what they said. */
    public void rebuild(long taskId, int loop, OffsetDateTime startedAt, String metrics) {
        jdbc.update(SqlFiles.load("loop-rebuild"), new MapSqlParameterSource()
                .addValue("taskId", taskId)
                .addValue("loop", loop)
                .addValue("metrics", metrics)
                .addValue("startedAt", startedAt));
    }

    public List<TaskLoop> list(long taskId) {
        return jdbc.query(SqlFiles.load("loop-select"), Map.of("taskId", taskId), (rs, i) -> new TaskLoop(
                rs.getInt("loop"),
                rs.getString("hypothesis"),
                rs.getString("reason"),
                columns.read(rs, "tasks"),
                columns.read(rs, "metrics"),
                (Boolean) rs.getObject("decision"),
                rs.getString("decision_reason"),
                rs.getObject("started_at", OffsetDateTime.class)));
    }
}
