package com.aistock.rdagent.notify;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Time;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.aistock.rdagent.system.SqlFiles;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The rules table. */
@Repository
public class RuleStore {

    private final NamedParameterJdbcTemplate jdbc;

    public RuleStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    long insert(RuleRequest request, String owner) {
        return jdbc.queryForObject(SqlFiles.load("notify-rule-insert"), request.params(owner), Long.class);
    }

    boolean update(long id, RuleRequest request) {
        Map<String, Object> params = request.params(null);
        params.put("id", id);
        return jdbc.update(SqlFiles.load("notify-rule-update"), params) == 1;
    }

    boolean delete(long id) {
        return jdbc.update(SqlFiles.load("notify-rule-delete"), Map.of("id", id)) == 1;
    }

    Optional<Rule> find(long id) {
        return jdbc.query(SqlFiles.load("notify-rule-select"), Map.of("id", id), RuleStore::row).stream().findFirst();
    }

    List<Rule> page(int page, int size) {
        return jdbc.query(SqlFiles.load("notify-rule-list"), Map.of("limit", size, "offset", (long) page * size), RuleStore::row);
    }

    long count() {
        return jdbc.queryForObject(SqlFiles.load("notify-rule-count"), Map.of(), Long.class);
    }

    /** Enabled rules on enabled channels. */
    List<Rule> active() {
        return jdbc.query(SqlFiles.load("notify-rule-active"), Map.of(), RuleStore::row);
    }

    private static Rule row(ResultSet rs, int n) throws SQLException {
        Array events = rs.getArray("events");
        Time digest = rs.getTime("digest_time");
        double threshold = rs.getDouble("threshold");
        boolean noThreshold = rs.wasNull();
        int stall = rs.getInt("stall_after_seconds");
        boolean noStall = rs.wasNull();
        return new Rule(rs.getLong("id"), rs.getString("name"), rs.getLong("channel_id"),
                Arrays.asList((String[]) events.getArray()), rs.getString("scope"), rs.getString("scope_value"),
                rs.getString("metric"), noThreshold ? null : threshold, noStall ? null : stall,
                digest == null ? null : digest.toLocalTime(), rs.getString("time_zone"), rs.getBoolean("enabled"),
                rs.getString("owner"), rs.getObject("created_at", OffsetDateTime.class));
    }
}
