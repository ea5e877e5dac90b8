package com.aistock.rdagent.run;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Tasks summarised before loops had names keep what is still true of their summary: an accepted best stays best. */
class SummaryMigrationTest {

    @Test
    void oldSummariesBecomeSotaBestAndLast() throws IOException {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            Flyway.configure().dataSource(postgres.getPostgresDatabase()).target("10").load().migrate();
            JdbcTemplate jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
            String old = """
                    {"best": {"name": "rejected", "loop": 1, "metrics": {"IC": 0.05,
                       "1day.excess_return_with_cost.annualized_return": 0.4}, "finished_at": "2026-11-25T10:00:00Z"},
                     "last": {"name": "accepted", "loop": 2, "metrics": {"IC": 0.03}, "finished_at": "2026-11-25T11:00:00Z"},
                     "experiments": 3, "best_metric": "1day.excess_return_with_cost.annualized_return"}""";
            long id = jdbc.queryForObject("INSERT INTO rdagent_task (scenario, status, origin, params, config_hash,"
                    + " config_manifest, metrics) VALUES ('fin_quant', 'SUCCEEDED', 'api', '{}', ?, '{}', CAST(? AS jsonb))"
                    + " RETURNING id", Long.class, "0".repeat(64), old);
            jdbc.update("INSERT INTO rdagent_task_loop (task_id, loop, decision) VALUES (?, 1, false), (?, 2, true)", id, id);

            Flyway.configure().dataSource(postgres.getPostgresDatabase()).load().migrate();

            JsonNode metrics = new ObjectMapper().readTree(
                    jdbc.queryForObject("SELECT metrics::text FROM rdagent_task WHERE id = ?", String.class, id));
            assertThat(metrics.path("best").isNull()).as("the old best was rejected").isTrue();
            assertThat(metrics.path("sota").path("experiment").asText()).isEqualTo("accepted");
            assertThat(metrics.path("last").path("loop").asInt()).isEqualTo(2);
            assertThat(metrics.path("last").path("decision").asBoolean()).isTrue();
            assertThat(metrics.path("last").path("values").path("ic").asDouble()).isEqualTo(0.03);
            assertThat(metrics.path("rank_by").asText()).isEqualTo("annualized_return");
            assertThat(metrics.path("experiments").asInt()).isEqualTo(3);
        }
    }
}
