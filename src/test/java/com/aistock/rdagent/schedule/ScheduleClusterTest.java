package com.aistock.rdagent.schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.aistock.rdagent.system.SchedulerProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.quartz.Scheduler;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes on one PostgreSQL: this test's service and a second one in its own JVM ({@link SecondInstance}).
 * Quartz's clustered store fires each cron time on one node only, and when the node that has been firing stops,
 * the other takes over. (How many fires 20 s make, and that the take-over loses none, are figures of
 * ScheduleBenchmark.)
 */
// a second JVM of the service starts first: longer than the suite's default
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ScheduleClusterTest extends ScheduleTestSupport {

    private static final String NODE_B = "node-b";

    @Autowired
    DataSource dataSource;

    @Autowired
    Scheduler scheduler;

    @Autowired
    SchedulerProperties properties;

    @Test
    void twoNodesFireEachCronTimeOnceAndTheOtherTakesOverWhenTheFiringNodeStops() throws Exception {
        String jdbcUrl = ((HikariDataSource) dataSource).getJdbcUrl();
        Path nodeBase = base().resolveSibling(base().getFileName() + "-" + NODE_B);
        try (SecondInstance nodeB = SecondInstance.start(jdbcUrl, nodeBase, NODE_B)) {
            // a node another test stopped keeps its row until the cluster's check-in notices it is gone
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                    assertThat(count("SELECT count(*) FROM qrtz_scheduler_state")).as("two cluster members").isEqualTo(2));
            long id = create(schedule("clustered", ScheduleFiringTest.EVERY_2_SECONDS,
                    "\"overlap_policy\": \"queue\", \"task\": " + QUICK_TASK)).path("id").asLong();

            await().atMost(Duration.ofSeconds(60)).until(() -> recentFires(id).size() >= 3);
            // stop whichever node has been firing (a firing node keeps acquiring the next fire ahead of time):
            // node B as a service manager would, or this node's Quartz as its own shutdown begins (standby)
            List<String> firstHalf = firingNodes(id);
            String stopped = firstHalf.get(firstHalf.size() - 1);
            if (stopped.equals(NODE_B)) {
                nodeB.stop();
            } else {
                scheduler.standby();
            }
            int firedBeforeStop = firstHalf.size();
            long lastBeforeStop = recentFires(id).get(0).path("id").asLong();
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    recentFires(id).stream().filter(fire -> fire.path("id").asLong() > lastBeforeStop).count() >= 3);
            api.post(PATH + "/" + id + "/pause", "");

            int made = tasksOf(id);
            List<String> firedOn = firingNodes(id);
            List<OffsetDateTime> firedFor = jdbc.queryForList(
                    "SELECT scheduled_at FROM rdagent_schedule_fire WHERE schedule_id = ? ORDER BY scheduled_at",
                    OffsetDateTime.class, id);
            LoggerFactory.getLogger(ScheduleClusterTest.class)
                    .info("{} tasks; stopped {} after {} fires; fired on {} for {}", made, stopped, firedBeforeStop,
                            firedOn, firedFor);
            assertThat(made).as("tasks from two nodes, fired on %s", firedOn).isGreaterThanOrEqualTo(6);
            assertThat(outcomesOf(id)).hasSize(made).containsOnly("created");
            assertThat(count("SELECT count(DISTINCT scheduled_at) FROM rdagent_schedule_fire WHERE schedule_id = ?", id))
                    .as("each cron time once").isEqualTo(made);
            assertThat(firedOn.subList(firedBeforeStop, firedOn.size())).as("the other node took over")
                    .hasSizeGreaterThanOrEqualTo(3).doesNotContain(stopped);

            nodeB.stop();
            assertThat(nodeB.awaitExit(Duration.ofSeconds(60))).as("node B stops gracefully").isTrue();
            assertThat(nodeB.logText()).contains("Shutting down Quartz Scheduler").doesNotContain("failed to fire");
        } finally {
            if (scheduler.isInStandbyMode()) {
                scheduler.start();
            }
        }
    }

    /** The schedule's latest fires as its API shows them, newest first. */
    private List<JsonNode> recentFires(long scheduleId) {
        return api.get(PATH + "/" + scheduleId).json().path("recent_fires").findParents("outcome");
    }

    private List<String> firingNodes(long scheduleId) {
        return jdbc.queryForList("SELECT node FROM rdagent_schedule_fire WHERE schedule_id = ? ORDER BY scheduled_at",
                String.class, scheduleId);
    }
}
