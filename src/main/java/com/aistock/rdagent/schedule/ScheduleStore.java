package com.aistock.rdagent.schedule;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.aistock.rdagent.system.JsonColumns;
import com.aistock.rdagent.system.SqlFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code rdagent_schedule} and {@code rdagent_schedule_fire} tables. */
@Repository
public class ScheduleStore {

    /** An active task of a schedule, which a {@code skip} overlap policy waits for. */
    public record ActiveTask(long id, String status) {
    }

    /** One fire to record. */
    public record FireRecord(long scheduleId, String firedBy, OffsetDateTime scheduledAt, String outcome, Long taskId,
                             String reason, String node) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper objectMapper;
    private final JsonColumns columns;

    public ScheduleStore(NamedParameterJdbcTemplate jdbc, ObjectMapper objectMapper, JsonColumns columns) {
        this.jdbc = jdbc;
        this.objectMapper = objectMapper;
        this.columns = columns;
    }

    public long insert(ScheduleDefinition definition, String operator) {
        return jdbc.queryForObject(SqlFiles.load("schedule-insert"), params(definition, operator), Long.class);
    }

    public boolean update(long id, ScheduleDefinition definition, String operator) {
        return jdbc.update(SqlFiles.load("schedule-update"), params(definition, operator).addValue("id", id)) == 1;
    }

    public boolean setEnabled(long id, boolean enabled, String operator) {
        return jdbc.update(SqlFiles.load("schedule-set-enabled"),
                new MapSqlParameterSource("id", id).addValue("enabled", enabled).addValue("operator", operator)) == 1;
    }

    public boolean delete(long id) {
        return jdbc.update(SqlFiles.load("schedule-delete"), Map.of("id", id)) == 1;
    }

    public Optional<Schedule> find(long id) {
        return jdbc.query(SqlFiles.load("schedule-select"), Map.of("id", id), this::map).stream().findFirst();
    }

    /** The schedule, row-locked until the surrounding transaction ends. */
    public Optional<Schedule> lock(long id) {
        return jdbc.query(SqlFiles.load("schedule-lock"), Map.of("id", id), this::map).stream().findFirst();
    }

    public List<Schedule> page(int page, int size) {
        return jdbc.query(SqlFiles.load("schedule-page"), Map.of("size", size, "offset", (long) page * size),
                this::map);
    }

    public long count() {
        Long count = jdbc.queryForObject(SqlFiles.load("schedule-count"), Map.of(), Long.class);
        return count == null ? 0 : count;
    }

    public List<Long> ids() {
        return jdbc.queryForList(SqlFiles.load("schedule-ids"), Map.of(), Long.class);
    }

    public Optional<ActiveTask> activeTask(long scheduleId) {
        return jdbc.query(SqlFiles.load("schedule-active-task"), Map.of("scheduleId", scheduleId),
                (rs, i) -> new ActiveTask(rs.getLong("id"), rs.getString("status"))).stream().findFirst();
    }

    public List<ScheduleView.RecentTask> recentTasks(long scheduleId, int limit) {
        return jdbc.query(SqlFiles.load("schedule-recent-tasks"), Map.of("scheduleId", scheduleId, "limit", limit),
                (rs, i) -> new ScheduleView.RecentTask(rs.getLong("id"), rs.getString("name"), rs.getString("status"),
                        rs.getObject("created_at", OffsetDateTime.class),
                        rs.getObject("started_at", OffsetDateTime.class),
                        rs.getObject("finished_at", OffsetDateTime.class)));
    }

    public boolean fired(long scheduleId, OffsetDateTime scheduledAt) {
        Long count = jdbc.queryForObject(SqlFiles.load("schedule-fire-seen"),
                Map.of("scheduleId", scheduleId, "scheduledAt", scheduledAt), Long.class);
        return count != null && count > 0;
    }

    /** Records a fire on its schedule (last fire, last task) and keeps only the newest {@code keep} records. */
    public void recordFire(FireRecord fire, int keep) {
        jdbc.update(SqlFiles.load("schedule-fire-insert"), new MapSqlParameterSource()
                .addValue("scheduleId", fire.scheduleId())
                .addValue("firedBy", fire.firedBy())
                .addValue("scheduledAt", fire.scheduledAt())
                .addValue("outcome", fire.outcome())
                .addValue("taskId", fire.taskId())
                .addValue("reason", fire.reason())
                .addValue("node", fire.node()));
        jdbc.update(SqlFiles.load("schedule-fire-prune"), Map.of("scheduleId", fire.scheduleId(), "keep", keep));
    }

    public List<ScheduleView.Fire> recentFires(long scheduleId, int limit) {
        return jdbc.query(SqlFiles.load("schedule-fire-recent"), Map.of("scheduleId", scheduleId, "limit", limit),
                (rs, i) -> new ScheduleView.Fire(rs.getLong("id"), rs.getString("fired_by"),
                        rs.getObject("scheduled_at", OffsetDateTime.class),
                        rs.getObject("fired_at", OffsetDateTime.class), rs.getString("outcome"),
                        rs.getObject("task_id", Long.class), rs.getString("reason"), rs.getString("node")));
    }

    private MapSqlParameterSource params(ScheduleDefinition definition, String operator) {
        return new MapSqlParameterSource()
                .addValue("name", definition.name())
                .addValue("cron", definition.cron())
                .addValue("timeZone", definition.timeZone().getId())
                .addValue("task", columns.write(definition.task()))
                .addValue("configPin", columns.write(definition.configPin()))
                .addValue("overlapPolicy", definition.overlapPolicy().value())
                .addValue("misfirePolicy", definition.misfirePolicy().value())
                .addValue("enabled", definition.enabled())
                .addValue("operator", operator);
    }

    private Schedule map(ResultSet rs, int rowNum) throws SQLException {
        JsonNode pin = columns.read(rs, "config_pin");
        List<Long> historyIds = pin.path("history_ids").isArray()
                ? objectMapper.convertValue(pin.get("history_ids"), objectMapper.getTypeFactory()
                        .constructCollectionType(List.class, Long.class))
                : List.of();
        return new Schedule(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("cron"),
                ZoneId.of(rs.getString("time_zone")),
                (ObjectNode) columns.read(rs, "task"),
                new ConfigPin(pin.path("mode").asText(ConfigPin.CURRENT), historyIds),
                OverlapPolicy.valueOf(rs.getString("overlap_policy").toUpperCase(Locale.ROOT)),
                MisfirePolicy.valueOf(rs.getString("misfire_policy").toUpperCase(Locale.ROOT)),
                rs.getBoolean("enabled"),
                rs.getObject("last_fire_at", OffsetDateTime.class),
                rs.getObject("last_task_id", Long.class),
                rs.getString("operator"),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class));
    }
}
