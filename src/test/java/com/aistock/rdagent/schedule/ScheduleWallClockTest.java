package com.aistock.rdagent.schedule;

import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;

import com.aistock.rdagent.support.Api;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Month-end and daylight-saving schedules in the service's own clustered Quartz scheduler. Quartz has no clock to
 * set, so a fire months away cannot be waited for: the test reads the trigger the scheduler stored (the next fire
 * time its thread acquires and fires at) and steps it as the scheduler does after each fire.
 */
class ScheduleWallClockTest extends ScheduleTestSupport {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @Autowired
    Scheduler scheduler;

    @Autowired
    ScheduleService schedules;

    @Test
    void aLastDayScheduleFiresOnTheTwentyEighthOfFebruary2027() throws SchedulerException {
        long february = create(schedule("february 2027", "0 0 2 L 2 ? 2027", "\"task\": " + QUICK_TASK)).path("id").asLong();
        long monthly = create(schedule("month end", "0 0 2 L * ?", "\"task\": " + QUICK_TASK)).path("id").asLong();

        Trigger stored = scheduler.getTrigger(ScheduleTriggers.triggerKey(february));
        assertThat(stored).isInstanceOf(WallClockCronTrigger.class);
        assertThat(stored.getNextFireTime().toInstant()).isEqualTo(OffsetDateTime.parse("2027-02-28T02:00+08:00").toInstant());
        assertThat(jdbc.queryForMap("SELECT trigger_type, next_fire_time FROM qrtz_triggers WHERE trigger_group = ? AND trigger_name = ?",
                ScheduleTriggers.GROUP, Long.toString(february)))
                .containsEntry("trigger_type", WallClockCronPersistence.TYPE)
                .containsEntry("next_fire_time", stored.getNextFireTime().getTime());
        assertThat(api.get(PATH + "/" + february).json().path("next_fire_times"))
                .extracting(JsonNode::asText).containsExactly("2027-02-28T02:00:00+08:00");

        Trigger everyMonth = scheduler.getTrigger(ScheduleTriggers.triggerKey(monthly));
        Date afterJanuary = everyMonth.getFireTimeAfter(Date.from(OffsetDateTime.parse("2027-01-31T01:00+08:00").toInstant()));
        assertThat(OffsetDateTime.ofInstant(afterJanuary.toInstant(), SHANGHAI)).hasToString("2027-01-31T02:00+08:00");
        assertThat(OffsetDateTime.ofInstant(everyMonth.getFireTimeAfter(afterJanuary).toInstant(), SHANGHAI))
                .hasToString("2027-02-28T02:00+08:00");
    }

    @Test
    void thePreviewShowsWhatTheTriggerFiresAndAgreesWithCronUtils() throws SchedulerException {
        JsonNode preview = api.get("/api/rdagent/schedules/preview?cron=0%200%202%20L%20*%20%3F&count=20").json();
        long id = create(schedule("month end", "0 0 2 L * ?", "\"task\": " + QUICK_TASK)).path("id").asLong();
        Trigger trigger = scheduler.getTrigger(ScheduleTriggers.triggerKey(id));

        List<OffsetDateTime> previewed = new ArrayList<>();
        preview.path("next_fire_times").forEach(time -> previewed.add(OffsetDateTime.parse(time.asText())));
        assertThat(previewed).hasSize(20);
        List<OffsetDateTime> fired = new ArrayList<>();
        Date time = trigger.getNextFireTime();
        ExecutionTime cronUtils = ExecutionTime.forCron(
                new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ)).parse("0 0 2 L * ?"));
        ZonedDateTime independent = previewed.get(0).atZoneSameInstant(SHANGHAI).minusSeconds(1);
        for (int i = 0; i < 20; i++) {
            fired.add(OffsetDateTime.ofInstant(time.toInstant(), SHANGHAI));
            time = trigger.getFireTimeAfter(time);
            independent = cronUtils.nextExecution(independent).orElseThrow();
            assertThat(previewed.get(i).toInstant()).isEqualTo(independent.toInstant());
        }
        assertThat(fired).isEqualTo(previewed);
        for (int i = 1; i < 20; i++) {
            assertThat(previewed.get(i).toLocalDate()).as("the month after " + previewed.get(i - 1))
                    .isEqualTo(YearMonth.from(previewed.get(i - 1)).plusMonths(1).atEndOfMonth());
        }
    }

    /** Yearly crons on each zone's changeover days, so the answers do not depend on today's date. */
    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource(delimiter = '|', value = {
            // clocks jump from 02:00 to 03:00 on the second Sunday of March: 02:30 fires at 03:00
            "0 30 2 ? 3 1#2  | America/New_York | 03:00 | -04:00",
            // clocks go back from 02:00 to 01:00 on the first Sunday of November: 01:30 fires the first time round
            "0 30 1 ? 11 1#1 | America/New_York | 01:30 | -04:00",
            "0 30 1 ? 3 1L   | Europe/London    | 02:00 | +01:00",
            "0 30 1 ? 10 1L  | Europe/London    | 01:30 | +01:00"})
    void nextFireTimesShowTheDaylightSavingRule(String cron, String zone, String time, String offset) {
        String query = "cron=" + cron.replace(" ", "%20").replace("?", "%3F").replace("#", "%23")
                + "&time_zone=" + zone + "&count=3";
        JsonNode preview = api.get("/api/rdagent/schedules/preview?" + query).json();
        JsonNode saved = create(schedule("dst", cron, "\"time_zone\": \"" + zone + "\", \"task\": " + QUICK_TASK));

        for (JsonNode times : List.of(preview.path("next_fire_times"), saved.path("next_fire_times"))) {
            assertThat(times).hasSizeGreaterThanOrEqualTo(3).allSatisfy(fire -> {
                OffsetDateTime at = OffsetDateTime.parse(fire.asText());
                assertThat(at.toLocalTime()).hasToString(time);
                assertThat(at.getOffset()).hasToString(offset);
            });
        }
    }

    @Test
    void aTriggerStoredBeforeTheWallClockRuleIsReplacedAtStart() throws SchedulerException {
        long id = create(schedule("old trigger", "0 30 2 * * ?", "\"time_zone\": \"America/New_York\", \"task\": " + QUICK_TASK))
                .path("id").asLong();
        // as an earlier version stored it: Quartz's own cron trigger
        scheduler.scheduleJob(JobBuilder.newJob(ScheduleFireJob.class).withIdentity(ScheduleTriggers.jobKey(id))
                        .usingJobData(ScheduleFireJob.SCHEDULE_ID, id).requestRecovery(true).build(),
                Set.of(TriggerBuilder.newTrigger().withIdentity(ScheduleTriggers.triggerKey(id))
                        .forJob(ScheduleTriggers.jobKey(id))
                        .withSchedule(CronScheduleBuilder.cronSchedule("0 30 2 * * ?")
                                .inTimeZone(TimeZone.getTimeZone("America/New_York")))
                        .build()), true);
        assertThat(triggerType(id)).isEqualTo("CRON");

        schedules.reconcileAll();

        assertThat(triggerType(id)).isEqualTo(WallClockCronPersistence.TYPE);
        assertThat(scheduler.getTrigger(ScheduleTriggers.triggerKey(id))).isInstanceOf(WallClockCronTrigger.class);
        Api.Response shown = api.get(PATH + "/" + id);
        assertThat(shown.json().path("next_fire_times")).hasSize(5);
    }

    private String triggerType(long id) {
        return jdbc.queryForObject("SELECT trigger_type FROM qrtz_triggers WHERE trigger_group = ? AND trigger_name = ?",
                String.class, ScheduleTriggers.GROUP, Long.toString(id));
    }
}
