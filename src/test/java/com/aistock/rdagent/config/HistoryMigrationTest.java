package com.aistock.rdagent.config;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V30 on a database in the old shape (each row the content a write replaced, with that write's note): after it,
 * each row is a version with its own note, and the ids tasks and schedules name still hold the same content.
 */
class HistoryMigrationTest {

    private static final String FILE = RdAgentFiles.TEMPLATES.get(0);
    private static final String PROMPT = RdAgentFiles.PROMPTS.get(1);
    private static final Instant T1 = Instant.parse("2026-01-05T01:00:00Z");
    private static final Instant T2 = Instant.parse("2026-01-06T01:00:00Z");
    private static final Instant T3 = Instant.parse("2026-01-07T01:00:00Z");

    private static EmbeddedPostgres postgres;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void oldShape() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        Flyway.configure().dataSource(postgres.getPostgresDatabase()).locations("classpath:db/migration")
                .target("10").load().migrate();
        jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    void rowsBecomeVersionsWithTheirOwnNotes() {
        // the label trap as the old code stored it: "topk 10→8" then "lr 0.1→0.05"
        long c0 = old("rdagent_template_history", FILE, "a/c0", "0", "alice", "topk 10→8", "write", T1);
        long c1 = old("rdagent_template_history", FILE, "a/c1", "1", "bob", "lr 0.1→0.05", "write", T2);
        long p0 = old("rdagent_template_history", PROMPT, "a/p0", "p", "carol", "changed outside the scheduler", "backup", T1);
        long p1 = old("rdagent_template_history", PROMPT, "a/p1", "q", "carol", "changed outside the scheduler", "backup", T3);
        long e0 = old("rdagent_env_history", ".env", "a/e0", "e", "dave", "cheaper model", "write", T2);
        jdbc.update("INSERT INTO rdagent_schedule (name, cron, task, config_pin) VALUES ('pinned', '0 0 9 * * ?', '{}', "
                + "CAST(? AS jsonb))", "{\"mode\": \"fixed\", \"history_ids\": [" + c1 + "]}");

        Flyway.configure().dataSource(postgres.getPostgresDatabase()).locations("classpath:db/migration").load().migrate();

        Map<String, Object> initial = row("rdagent_template_history", c0);
        assertThat(initial).containsEntry("kind", "initial").containsEntry("operator", "filesystem")
                .containsEntry("sha256", sha("0")).containsEntry("history_path", "a/c0").containsEntry("replaced_by", c1);
        assertThat(initial.get("note")).isNull();
        assertThat(at(initial, "replaced_at")).isEqualTo(T1);
        Map<String, Object> topk = row("rdagent_template_history", c1);
        assertThat(topk).containsEntry("kind", "write").containsEntry("note", "topk 10→8")
                .containsEntry("operator", "alice").containsEntry("sha256", sha("1")).containsEntry("history_path", "a/c1");
        assertThat(at(topk, "created_at")).isEqualTo(T1);
        assertThat(at(topk, "replaced_at")).isEqualTo(T2);
        long newest = (Long) topk.get("replaced_by");
        Map<String, Object> lr = row("rdagent_template_history", newest);
        assertThat(lr).containsEntry("kind", "write").containsEntry("note", "lr 0.1→0.05").containsEntry("operator", "bob")
                .containsEntry("file", FILE);
        assertThat(lr.get("sha256")).as("read from the live file at start").isNull();
        assertThat(lr.get("history_path")).isNull();
        assertThat(lr.get("replaced_at")).isNull();
        assertThat(at(lr, "created_at")).isEqualTo(T2);
        assertThat(jdbc.queryForObject("SELECT config_pin -> 'history_ids' ->> 0 FROM rdagent_schedule", String.class))
                .as("a pin still names the same content").isEqualTo(String.valueOf(c1));

        assertThat(row("rdagent_template_history", p0)).containsEntry("kind", "initial").containsEntry("replaced_by", p1)
                .containsEntry("sha256", sha("p"));
        assertThat(row("rdagent_template_history", p1)).containsEntry("kind", "drift").containsEntry("operator", "filesystem");
        assertThat(row("rdagent_template_history", p1).get("replaced_by")).isNull();

        assertThat(row("rdagent_env_history", e0)).containsEntry("kind", "initial").containsEntry("sha256", sha("e"));
        List<Map<String, Object>> env = jdbc.queryForList("SELECT * FROM rdagent_env_history ORDER BY id");
        assertThat(env).hasSize(2);
        assertThat(env.get(1)).containsEntry("note", "cheaper model").containsEntry("kind", "write")
                .containsEntry("operator", "dave");
        assertThat(row("rdagent_env_history", e0)).containsEntry("replaced_by", env.get(1).get("id"));
    }

    private static long old(String table, String file, String path, String content, String operator, String note,
                            String action, Instant at) {
        String sql = table.equals("rdagent_env_history")
                ? "INSERT INTO rdagent_env_history (file, history_path, sha256, operator, note, action, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"
                : "INSERT INTO rdagent_template_history (file, history_path, sha256, operator, note, action, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
        return jdbc.queryForObject(sql, Long.class, file, path, sha(content), operator, note, action, Timestamp.from(at));
    }

    private static Map<String, Object> row(String table, long id) {
        return jdbc.queryForMap(table.equals("rdagent_env_history") ? "SELECT * FROM rdagent_env_history WHERE id = ?"
                : "SELECT * FROM rdagent_template_history WHERE id = ?", id);
    }

    private static Instant at(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value instanceof Timestamp timestamp ? timestamp.toInstant()
                : ((OffsetDateTime) value).withOffsetSameInstant(ZoneOffset.UTC).toInstant();
    }

    private static String sha(String content) {
        return content.repeat(64).substring(0, 64);
    }
}
