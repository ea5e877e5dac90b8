package com.aistock.rdagent.node;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import com.aistock.rdagent.system.SqlFiles;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The nodes sharing this database and their heartbeats ({@code rdagent_node}). */
@Repository
public class NodeStore {

    private final NamedParameterJdbcTemplate jdbc;

    public NodeStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void beat(String id, String roles, int capacity, String host, long processId) {
        jdbc.update(SqlFiles.load("node-beat"), new MapSqlParameterSource()
                .addValue("id", id).addValue("roles", roles).addValue("capacity", capacity)
                .addValue("host", host).addValue("processId", processId));
    }

    public List<Node> list(Duration lease) {
        return jdbc.query(SqlFiles.load("node-list"), Map.of("leaseSeconds", lease.toSeconds()), (rs, i) -> new Node(
                rs.getString("id"),
                List.of(rs.getString("roles").split(",")),
                rs.getInt("capacity"),
                rs.getString("host"),
                rs.getLong("running_tasks"),
                rs.getBoolean("alive"),
                rs.getObject("started_at", OffsetDateTime.class),
                rs.getObject("heartbeat_at", OffsetDateTime.class)));
    }
}
