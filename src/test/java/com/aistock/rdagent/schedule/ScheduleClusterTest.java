package com.aistock.rdagent.schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes on one PostgreSQL: this test's service and a second one in its own JVM ({@link SecondInstance}).
 * Quartz's clustered store fires each cron time on one node only, and the surviving node takes over the fires of
 * a node that stops.
 */
class ScheduleClusterTest extends ScheduleTestSupport {

    @Autowired
    DataSource dataSource;

    @Test
    void twoNodesFireAnEveryTwoSecondScheduleOnceAndLoseNoFireWhenOneStops() throws Exception {
        String jdbcUrl = ((HikariDataSource) dataSource).getJdbcUrl();
        Path nodeBase = base().resolveSibling(base().getFileName() + "-node-b");
        try (SecondInstance nodeB = SecondInstance.start(jdbcUrl, nodeBase, "node-b")) {
            assertThat(count("SELECT count(*) FROM qrtz_scheduler_state")).as("two cluster members").isEqualTo(2);
            Instant start = Instant.now();
            long id = create(schedule("clustered", ScheduleFiringTest.EVERY_2_SECONDS,
                    "\"overlap_policy\": \"queue\", \"task\": " + QUICK_TASK)).path("id").asLong();

            await().atMost(Duration.ofSeconds(20)).until(() -> Instant.now().isAfter(start.plusSeconds(10)));
            nodeB.stop();
            await().atMost(Duration.ofSeconds(20)).until(() -> Instant.now().isAfter(start.plusSeconds(20)));
            api.post(PATH + "/" + id + "/pause", "");

            int made = tasksOf(id);
            List<Map<String, Object>> byNode = jdbc.queryForList("""
                    SELECT node, count(*) AS fires FROM rdagent_schedule_fire WHERE schedule_id = ? GROUP BY node""", id);
            LoggerFactory.getLogger(ScheduleClusterTest.class).info("{} tasks; fires per node: {}", made, byNode);
            assertThat(made).as("tasks in 20 s from two nodes (fires per node: %s)", byNode).isBetween(9, 11);
            assertThat(outcomesOf(id)).hasSize(made).containsOnly("created");
            assertThat(count("SELECT count(DISTINCT scheduled_at) FROM rdagent_schedule_fire WHERE schedule_id = ?", id))
                    .as("each cron time once").isEqualTo(made);
            assertThat(nodeB.awaitExit(Duration.ofSeconds(60))).as("node B stops gracefully").isTrue();
            assertThat(nodeB.logText()).contains("Shutting down Quartz Scheduler").doesNotContain("failed to fire");
        }
    }
}
