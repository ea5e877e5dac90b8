package com.aistock.rdagent.run;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /** A loop with everything RD-Agent said about it: the evolved code per task and its whole feedback. */
    public record Detail(TaskLoop loop, JsonNode codes, JsonNode feedback) {
    }

    /** What one of RD-Agent's events says about a loop; null leaves a column as it is. */
    public record Event(String hypothesis, String reason, JsonNode tasks, JsonNode metrics, Boolean decision,
                        String decisionReason, JsonNode codes, JsonNode feedback) {
    }

    public LoopStore(NamedParameterJdbcTemplate jdbc, JsonColumns columns) {
        this.jdbc = jdbc;
        this.columns = columns;
    }

    public void merge(long taskId, int loop, Event event) {
        jdbc.update(SqlFiles.load("loop-upsert"), new MapSqlParameterSource()
                .addValue("taskId", taskId)
                .addValue("loop", loop)
                .addValue("hypothesis", event.hypothesis())
                .addValue("reason", event.reason())
                .addValue("tasks", json(event.tasks()))
                .addValue("metrics", json(event.metrics()))
                .addValue("decision", event.decision())
                .addValue("decisionReason", event.decisionReason())
                .addValue("codes", json(event.codes()))
                .addValue("feedback", json(event.feedback())));
    }

    /** The experiment workspaces of one loop, all of them, and the metrics of its own (non-baseline) experiment. */
    public void recordExperiments(long taskId, int loop, List<Experiment> experiments) {
        Experiment own = experiments.stream().filter(e -> !e.isBaseline()).reduce((a, b) -> b).orElse(null);
        jdbc.update(SqlFiles.load("loop-experiments"), new MapSqlParameterSource()
                .addValue("taskId", taskId)
                .addValue("loop", loop)
                .addValue("experiments", columns.write(experiments))
                .addValue("metrics", own == null ? null : columns.write(own.metrics())));
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
        return jdbc.query(SqlFiles.load("loop-select"), Map.of("taskId", taskId), (rs, i) -> loop(rs));
    }

    public Optional<Detail> detail(long taskId, int loop) {
        return jdbc.query(SqlFiles.load("loop-detail"), Map.of("taskId", taskId, "loop", loop),
                (rs, i) -> new Detail(loop(rs), columns.read(rs, "codes"), columns.read(rs, "feedback")))
                .stream().findFirst();
    }

    /** RD-Agent's decision per loop, for the loops it has decided. */
    public Map<Integer, Boolean> decisions(long taskId) {
        Map<Integer, Boolean> decisions = new HashMap<>();
        jdbc.query(SqlFiles.load("loop-decisions"), Map.of("taskId", taskId),
                rs -> {
                    decisions.put(rs.getInt("loop"), rs.getBoolean("decision"));
                });
        return decisions;
    }

    private TaskLoop loop(ResultSet rs) throws SQLException {
        return new TaskLoop(
                rs.getInt("loop"),
                rs.getString("hypothesis"),
                rs.getString("reason"),
                columns.read(rs, "tasks"),
                columns.read(rs, "metrics"),
                (Boolean) rs.getObject("decision"),
                rs.getString("decision_reason"),
                columns.read(rs, "experiments"),
                rs.getObject("started_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class),
                columns.read(rs, "cost"));
    }

    private String json(JsonNode node) {
        return node == null ? null : node.toString();
    }
}
