package com.aistock.rdagent.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import javax.sql.DataSource;

import com.aistock.rdagent.schedule.SecondInstance;
import com.aistock.rdagent.support.Api;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Schedules: the fires an every-two-second schedule makes in 20 s on one node; and with a second node in its own
 * JVM, the longest gap between consecutive fire times across a stop of the node that has been firing (a lost fire
 * leaves two periods, a late one less).
 */
class ScheduleBenchmark extends BenchmarkContext {

    private static final String PATH = "/api/rdagent/schedules";
    private static final String EVERY_2_SECONDS = "0/2 * * * * ?";

    @Autowired
    DataSource dataSource;

    @Autowired
    Scheduler scheduler;

    @Test
    void firesOfAnEveryTwoSecondScheduleIn20Seconds() {
        awaitIdle();
        Instant start = Instant.now();
        long id = create("bench every 2 s");
        await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(start.plusSeconds(20)));
        api.post(PATH + "/" + id + "/pause", "");
        int fires = fires(id).size();
        BenchResults.add(new BenchResults.Figure(70, "schedule-fires", "Schedules: fires of an every-2-second schedule in 20 s",
                (double) fires, "fires", 10.0, "the cron's fire times in 20 s", fires / 10.0, "× (count)", "9–11",
                fires >= 9 && fires <= 11, "each fire makes one no-op task (overlap policy queue)"));
    }

    @Test
    void longestGapBetweenFiresWhenTheFiringNodeStops() throws Exception {
        awaitIdle();
        Path nodeBase = base().resolveSibling(base().getFileName() + "-bench-node-b");
        try (SecondInstance nodeB = SecondInstance.start(((HikariDataSource) dataSource).getJdbcUrl(), nodeBase, "node-b")) {
            Instant start = Instant.now();
            long id = create("bench clustered");
            await().atMost(Duration.ofSeconds(20)).until(() -> Instant.now().isAfter(start.plusSeconds(10)));
            List<String> firing = jdbc.queryForList(
                    "SELECT node FROM rdagent_schedule_fire WHERE schedule_id = ? ORDER BY scheduled_at", String.class, id);
            String stopped = firing.get(firing.size() - 1);
            if (stopped.equals("node-b")) {
                nodeB.stop();
            } else {
                scheduler.standby();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> Instant.now().isAfter(start.plusSeconds(20)));
            api.post(PATH + "/" + id + "/pause", "");

            List<OffsetDateTime> firedFor = fires(id);
            double longest = 0;
            for (int i = 1; i < firedFor.size(); i++) {
                longest = Math.max(longest, Duration.between(firedFor.get(i - 1), firedFor.get(i)).toMillis() / 1000.0);
            }
            BenchResults.add(new BenchResults.Figure(71, "schedule-takeover-gap",
                    "Schedules: longest gap between fire times across the firing node's stop", longest, "s", 2.0,
                    "the cron's period", longest / 2.0, "× period", "< 4 s (no fire lost)", longest < 4,
                    String.format("two nodes on one PostgreSQL, every 2 s for 20 s; %s stopped after 10 s; %d fires",
                            stopped, firedFor.size())));
        } finally {
            if (scheduler.isInStandbyMode()) {
                scheduler.start();
            }
        }
    }

    private long create(String name) {
        Api.Response created = api.post(PATH, "{\"name\": \"" + name + "\", \"cron\": \"" + EVERY_2_SECONDS
                + "\", \"overlap_policy\": \"queue\", \"task\": " + NO_OP + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("id").asLong();
    }

    private List<OffsetDateTime> fires(long scheduleId) {
        return jdbc.queryForList("SELECT scheduled_at FROM rdagent_schedule_fire WHERE schedule_id = ? ORDER BY scheduled_at",
                OffsetDateTime.class, scheduleId);
    }
}
