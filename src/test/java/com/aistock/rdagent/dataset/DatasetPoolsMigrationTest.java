package com.aistock.rdagent.dataset;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Datasets made when a dataset's name was its market keep that name as their market: the instruments files already
 * installed under it and the tasks that ran on it stay right.
 */
class DatasetPoolsMigrationTest {

    @Test
    void existingDatasetsKeepTheirNameAsTheirMarketAndTheirVersions() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            // every migration before this one, whichever other ones have landed by now
            migrate(postgres, Arrays.stream(flyway(postgres, "latest").info().all()).map(MigrationInfo::getVersion)
                    .filter(version -> version != null && !version.isAtLeast("40"))
                    .max(Comparator.naturalOrder()).orElseThrow().getVersion());
            JdbcTemplate jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
            String insert = "INSERT INTO rdagent_dataset (name, version, provider_uri, instruments_file, symbol_count,"
                    + " is_default, sha256, operator) VALUES (?, ?, '/q', ?, 2, ?, repeat('a', 64), ?)";
            jdbc.update(insert, "mypool", 1, "/q/instruments/mypool.txt", false, "alice");
            jdbc.update(insert, "mypool", 2, "/q/instruments/mypool.txt", true, "bob");
            jdbc.update(insert, "csi_a", 1, "/q/instruments/csi_a.txt", false, null);
            long used = jdbc.queryForObject("SELECT id FROM rdagent_dataset WHERE name = 'mypool' AND version = 1", Long.class);

            migrate(postgres, "40");

            List<Map<String, Object>> pools = jdbc.queryForList(
                    "SELECT p.name, p.market, p.operator, d.version, d.is_default, d.deleted_at, d.warning_count"
                            + " FROM rdagent_dataset d JOIN rdagent_dataset_pool p ON p.id = d.pool_id"
                            + " ORDER BY p.name, d.version");
            assertThat(pools).extracting(row -> row.get("name") + "/" + row.get("market") + " v" + row.get("version"))
                    .containsExactly("csi_a/csi_a v1", "mypool/mypool v1", "mypool/mypool v2");
            assertThat(pools).extracting(row -> row.get("operator")).containsExactly(null, "alice", "alice");
            assertThat(pools).extracting(row -> row.get("is_default")).containsExactly(false, false, true);
            assertThat(pools).allSatisfy(row -> {
                assertThat(row.get("deleted_at")).isNull();
                assertThat(row.get("warning_count")).isEqualTo(0);
            });
            assertThat(jdbc.queryForObject("SELECT p.market FROM rdagent_dataset d JOIN rdagent_dataset_pool p"
                    + " ON p.id = d.pool_id WHERE d.id = ?", String.class, used)).as("ids stay").isEqualTo("mypool");
            // one pool per name from here on: a third version joins it, a second pool of that name cannot be made
            jdbc.update("INSERT INTO rdagent_dataset (pool_id, version, provider_uri, instruments_file, symbol_count,"
                    + " sha256) SELECT id, 3, '/q', '/q/instruments/mypool.txt', 1, repeat('b', 64)"
                    + " FROM rdagent_dataset_pool WHERE name = 'mypool'");
            assertThatThrownBy(() -> jdbc.update("INSERT INTO rdagent_dataset_pool (name, market) VALUES ('mypool', 'pool_1234')"))
                    .hasMessageContaining("rdagent_dataset_pool_name_key");
        }
    }

    private static void migrate(EmbeddedPostgres postgres, String target) {
        flyway(postgres, target).migrate();
    }

    private static Flyway flyway(EmbeddedPostgres postgres, String target) {
        return Flyway.configure().dataSource(postgres.getPostgresDatabase()).locations("classpath:db/migration")
                .target(target).load();
    }
}
