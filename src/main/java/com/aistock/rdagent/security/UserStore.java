package com.aistock.rdagent.security;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.aistock.rdagent.system.SqlFiles;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** Users, tokens and the audit trail. */
@Repository
public class UserStore {

    public record StoredUser(String username, String passwordHash, Role role, boolean enabled) {
    }

    public record User(long id, String username, Role role, boolean enabled, OffsetDateTime createdAt) {
    }

    public record Token(long id, String name, Role role, String createdBy, OffsetDateTime createdAt,
                        OffsetDateTime revokedAt, OffsetDateTime lastUsedAt) {
    }

    public record AuditEntry(long id, OffsetDateTime at, String operator, String method, String path, int status,
                             String address) {
    }

    private final NamedParameterJdbcTemplate jdbc;

    public UserStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<StoredUser> user(String username) {
        return jdbc.query(SqlFiles.load("user-by-name"), Map.of("username", username), (rs, i) -> new StoredUser(
                rs.getString("username"), rs.getString("password_hash"), Role.valueOf(rs.getString("role")),
                rs.getBoolean("enabled"))).stream().findFirst();
    }

    public boolean exists(String username) {
        Long count = jdbc.queryForObject(SqlFiles.load("user-exists"), Map.of("username", username), Long.class);
        return count != null && count > 0;
    }

    /** Sets the user's password and role, creating the user if needed. */
    public void save(String username, String passwordHash, Role role) {
        jdbc.update(SqlFiles.load("user-upsert"), Map.of("username", username, "passwordHash", passwordHash, "role", role.name()));
    }

    /** @return false when the name is taken */
    public boolean create(String username, String passwordHash, Role role) {
        return jdbc.update(SqlFiles.load("user-insert"),
                Map.of("username", username, "passwordHash", passwordHash, "role", role.name())) == 1;
    }

    public List<User> users() {
        return jdbc.query(SqlFiles.load("user-list"), Map.of(), (rs, i) -> new User(rs.getLong("id"),
                rs.getString("username"), Role.valueOf(rs.getString("role")), rs.getBoolean("enabled"),
                rs.getObject("created_at", OffsetDateTime.class)));
    }

    /** The live token with this hash (its use recorded), or empty when unknown or revoked. */
    public Optional<Map.Entry<String, Role>> tokenByHash(String sha256) {
        return jdbc.query(SqlFiles.load("token-by-hash"), Map.of("sha256", sha256),
                (rs, i) -> Map.entry(rs.getString("name"), Role.valueOf(rs.getString("role")))).stream().findFirst();
    }

    public Token createToken(String name, String sha256, Role role, String createdBy) {
        return jdbc.queryForObject(SqlFiles.load("token-insert"),
                Map.of("name", name, "sha256", sha256, "role", role.name(), "createdBy", createdBy), (rs, i) -> token(rs));
    }

    public List<Token> tokens() {
        return jdbc.query(SqlFiles.load("token-list"), Map.of(), (rs, i) -> token(rs));
    }

    public boolean revoke(long id) {
        return jdbc.update(SqlFiles.load("token-revoke"), Map.of("id", id)) == 1;
    }

    public void audit(String operator, String method, String path, int status, String address) {
        java.util.HashMap<String, Object> params = new java.util.HashMap<>();
        params.put("operator", operator);
        params.put("method", method);
        params.put("path", path.length() > 500 ? path.substring(0, 500) : path);
        params.put("status", status);
        params.put("address", address);
        jdbc.update(SqlFiles.load("audit-insert"), params);
    }

    public List<AuditEntry> audit(int page, int size) {
        return jdbc.query(SqlFiles.load("audit-page"), Map.of("size", size, "offset", (long) page * size),
                (rs, i) -> new AuditEntry(rs.getLong("id"), rs.getObject("at", OffsetDateTime.class),
                        rs.getString("operator"), rs.getString("method"), rs.getString("path"), rs.getInt("status"),
                        rs.getString("address")));
    }

    public long auditCount() {
        Long count = jdbc.queryForObject(SqlFiles.load("audit-count"), Map.of(), Long.class);
        return count == null ? 0 : count;
    }

    private static Token token(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Token(rs.getLong("id"), rs.getString("name"), Role.valueOf(rs.getString("role")),
                rs.getString("created_by"), rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("revoked_at", OffsetDateTime.class), rs.getObject("last_used_at", OffsetDateTime.class));
    }
}
