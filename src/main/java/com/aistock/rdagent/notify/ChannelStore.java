package com.aistock.rdagent.notify;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.aistock.rdagent.system.SqlFiles;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The channels table. */
@Repository
public class ChannelStore {

    private static final TypeReference<Map<String, String>> SECRETS = new TypeReference<>() {
    };

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;

    public ChannelStore(NamedParameterJdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    long insert(ChannelRequest request, String operator) {
        return jdbc.queryForObject(SqlFiles.load("notify-channel-insert"), request.params(json, operator), Long.class);
    }

    boolean update(long id, ChannelRequest request, String operator) {
        Map<String, Object> params = request.params(json, operator);
        params.put("id", id);
        return jdbc.update(SqlFiles.load("notify-channel-update"), params) == 1;
    }

    boolean delete(long id) {
        return jdbc.update(SqlFiles.load("notify-channel-delete"), Map.of("id", id)) == 1;
    }

    public Optional<Channel> find(long id) {
        return jdbc.query(SqlFiles.load("notify-channel-select"), Map.of("id", id), this::row).stream().findFirst();
    }

    List<Channel> list() {
        return jdbc.query(SqlFiles.load("notify-channel-list"), Map.of(), this::row);
    }

    private Channel row(ResultSet rs, int n) throws SQLException {
        try {
            return new Channel(rs.getLong("id"), rs.getString("name"), ChannelType.of(rs.getString("type")),
                    rs.getString("language"), rs.getInt("rate_per_minute"), rs.getBoolean("enabled"),
                    json.readTree(rs.getString("settings")), json.readValue(rs.getString("secrets"), SECRETS),
                    rs.getString("operator"), rs.getObject("created_at", OffsetDateTime.class),
                    rs.getObject("updated_at", OffsetDateTime.class));
        } catch (java.io.IOException e) {
            throw new SQLException("unreadable channel " + rs.getLong("id"), e);
        }
    }
}
