package com.aistock.rdagent.schedule;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Misfires: the service is "down" across three fire times, then starts again. Down means this JVM's Quartz
 * scheduler in standby, the only scheduler on this database, so no node fires; starting again runs exactly what
 * start-up runs ({@link ScheduleStartup#start()}: reconcile every schedule, then start Quartz). The tests'
 * misfire threshold is 3 s (Quartz's default, 60 s, would treat a few seconds' gap as merely late).
 */
class ScheduleMisfireTest extends ScheduleTestSupport {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @Autowired
    Scheduler scheduler;

    @Autowired
    ScheduleStartup startup;

    @Autowired
    CamelContext camelContext;

    @AfterEach
    void runAgain() throws SchedulerException {
        if (scheduler.isInStandbyMode()) {
            scheduler.start();
        }
    }

    @Test
    void afterThreeMissedFireTimesFireOnceRunsOnceAndSkipRunsNone() throws SchedulerException {
        scheduler.standby();
        api.get(PATH); // the first request of a fresh service is slow: not while the fire times draw near
        OffsetDateTime first = firstOfThreeFireTimes();
        String threeFireTimes = String.format("%d-%d/2 %d %d %d %d ? %d", first.getSecond(), first.getSecond() + 4,
                first.getMinute(), first.getHour(), first.getDayOfMonth(), first.getMonthValue(), first.getYear());
        long fireOnce = create(schedule("fire once", threeFireTimes,
                "\"misfire_policy\": \"fire_once\", \"overlap_policy\": \"queue\", \"task\": " + QUICK_TASK))
                .path("id").asLong();
        long skip = create(schedule("skip", threeFireTimes,
                "\"misfire_policy\": \"skip\", \"overlap_policy\": \"queue\", \"task\": " + QUICK_TASK))
                .path("id").asLong();

        OffsetDateTime missed = first.plusSeconds(4 + 3 + 2); // last fire time, misfire threshold, margin
        await().atMost(Duration.ofSeconds(30)).until(() -> OffsetDateTime.now().isAfter(missed));
        assertThat(tasksOf(fireOnce) + tasksOf(skip)).as("nothing fires while down").isZero();
        NotifyBuilder firstFire = fires(1);
        startup.start();

        assertThat(firstFire.matches(15, TimeUnit.SECONDS)).as("a fire on start").isTrue();
        // and nothing more: the schedules as their API shows them, for a while (reconciling may fire a skip
        // schedule's trigger, which then does nothing)
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
                .until(() -> recentTasks(fireOnce) == 1 && recentTasks(skip) == 0);
        assertThat(tasksOf(fireOnce)).isOne();
        assertThat(tasksOf(skip)).isZero();
        OffsetDateTime firedFor = jdbc.queryForObject(
                "SELECT scheduled_at FROM rdagent_schedule_fire WHERE schedule_id = ?", OffsetDateTime.class, fireOnce);
        assertThat(firedFor).as("fired on start, not for a missed time").isAfter(first.plusSeconds(4));
        assertThat(outcomesOf(skip)).isEmpty();
    }

    private int recentTasks(long scheduleId) {
        return api.get(PATH + "/" + scheduleId).json().path("recent_tasks").size();
    }

    /** Done once {@code count} schedule fires from now on are over. */
    private NotifyBuilder fires(int count) {
        return new NotifyBuilder(camelContext).fromRoute("run-schedule").whenDone(count).create();
    }

    /**
     * The first of three fire times two seconds apart within one minute, far enough from now for both schedules to
     * be saved first on a busy machine (a schedule whose fire times have all passed is refused).
     */
    private static OffsetDateTime firstOfThreeFireTimes() {
        OffsetDateTime first = OffsetDateTime.now(SHANGHAI).plusSeconds(8).truncatedTo(ChronoUnit.SECONDS);
        return first.getSecond() > 55 ? first.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1) : first;
    }
}
