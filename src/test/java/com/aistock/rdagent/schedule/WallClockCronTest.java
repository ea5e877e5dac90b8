package com.aistock.rdagent.schedule;

import java.text.ParseException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import java.util.stream.Stream;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.quartz.CronTrigger;
import org.quartz.TriggerBuilder;
import org.quartz.spi.OperableTrigger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When schedules fire: month-end and weekday rules against an independent cron implementation (cron-utils, Quartz
 * definition), and the daylight-saving rule in two zones that have it, through the trigger Quartz runs.
 */
class WallClockCronTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final LocalDateTime FROM = LocalDateTime.of(2026, 6, 1, 0, 0);
    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    static Stream<Arguments> monthlyRules() {
        List<String> crons = List.of(
                "0 0 2 L * ?",      // last day of the month
                "0 0 12 LW * ?",    // last weekday of the month
                "0 30 9 L-3 * ?",   // three days before the last
                "0 0 9 15W * ?",    // weekday nearest the 15th
                "0 0 18 ? * 6#3");  // third Friday
        return Stream.of(SHANGHAI, NEW_YORK, LONDON)
                .flatMap(zone -> crons.stream().map(cron -> Arguments.of(cron, zone)));
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("monthlyRules")
    void monthlyRulesFireOnceEveryMonthForTwoYearsAsCronUtilsSays(String cron, ZoneId zone) throws ParseException {
        Instant from = FROM.atZone(zone).toInstant();
        Instant until = FROM.plusMonths(24).atZone(zone).toInstant();

        List<ZonedDateTime> fires = fires(new WallClockCron(cron, zone), from, until);

        assertThat(fires).isEqualTo(cronUtils(cron, zone, from, until));
        assertThat(fires).as("one fire in each of 24 months, none skipped").hasSize(24);
        for (int month = 0; month < 24; month++) {
            assertThat(YearMonth.from(fires.get(month))).isEqualTo(YearMonth.from(FROM).plusMonths(month));
        }
    }

    @Test
    void lastDayOfFebruaryIsNotSkipped() throws ParseException {
        WallClockCron lastDay = new WallClockCron("0 0 2 L * ?", SHANGHAI);

        Instant afterJanuary = lastDay.next(at("2027-01-31T01:00+08:00"));

        assertThat(afterJanuary).isEqualTo(at("2027-01-31T02:00+08:00"));
        assertThat(lastDay.next(afterJanuary)).isEqualTo(at("2027-02-28T02:00+08:00"));
        assertThat(new WallClockCron("0 0 12 LW * ?", SHANGHAI).next(at("2027-02-01T00:00+08:00")))
                .isEqualTo(at("2027-02-26T12:00+08:00"));
    }

    @Test
    void aRepeatedTimeFiresOnceAtItsFirstOccurrence() throws ParseException {
        // New York goes back from 02:00 EDT to 01:00 EST on 2027-11-07; London from 02:00 BST to 01:00 GMT on 2027-10-31
        assertThat(fires("0 30 1 * * ?", NEW_YORK, "2027-11-06T12:00-04:00", 3)).containsExactly(
                "2027-11-07T01:30-04:00", "2027-11-08T01:30-05:00", "2027-11-09T01:30-05:00");
        assertThat(fires("0 30 1 * * ?", LONDON, "2027-10-30T12:00+01:00", 2)).containsExactly(
                "2027-10-31T01:30+01:00", "2027-11-01T01:30Z");
        assertThat(fires("0 30 * * * ?", NEW_YORK, "2027-11-07T00:00-04:00", 4)).as("hourly: 01:30 once")
                .containsExactly("2027-11-07T00:30-04:00", "2027-11-07T01:30-04:00", "2027-11-07T02:30-05:00",
                        "2027-11-07T03:30-05:00");
        // asked during the second pass of the repeated hour: its times already fired the first time round
        assertThat(fires("0 45 1 * * ?", NEW_YORK, "2027-11-07T01:15-05:00", 1)).containsExactly("2027-11-08T01:45-05:00");
    }

    @Test
    void aRepeatedTimeFiresWhereCronUtilsFiresIt() throws ParseException {
        for (ZoneId zone : List.of(NEW_YORK, LONDON)) {
            Instant from = at(zone == NEW_YORK ? "2027-11-06T00:00-04:00" : "2027-10-30T00:00+01:00");
            Instant until = from.plusSeconds(3 * 86_400);
            assertThat(fires(new WallClockCron("0 30 1 * * ?", zone), from, until))
                    .isEqualTo(cronUtils("0 30 1 * * ?", zone, from, until));
        }
    }

    @Test
    void aMissingTimeFiresWhenTheClocksJumpThatDay() throws ParseException {
        // New York jumps from 02:00 EST to 03:00 EDT on 2027-03-14; London from 01:00 GMT to 02:00 BST on 2027-03-28
        assertThat(fires(new WallClockCron(CronSchedules.toQuartz("30 2 14 3 *"), NEW_YORK),
                at("2027-01-01T00:00-05:00"), at("2029-01-01T00:00-05:00"))).extracting(Object::toString)
                .containsExactly("2027-03-14T03:00-04:00[America/New_York]", "2028-03-14T02:30-04:00[America/New_York]");
        assertThat(fires("0 30 2 * * ?", NEW_YORK, "2027-03-13T00:00-05:00", 3)).containsExactly(
                "2027-03-13T02:30-05:00", "2027-03-14T03:00-04:00", "2027-03-15T02:30-04:00");
        assertThat(fires("0 30 1 * * ?", LONDON, "2027-03-27T00:00Z", 3)).containsExactly(
                "2027-03-27T01:30Z", "2027-03-28T02:00+01:00", "2027-03-29T01:30+01:00");
        // several missing times fire once, then the day goes on as the clock says
        assertThat(fires("0 0/20 1-2 * * ?", LONDON, "2027-03-28T00:00Z", 5)).containsExactly(
                "2027-03-28T02:00+01:00", "2027-03-28T02:20+01:00", "2027-03-28T02:40+01:00",
                "2027-03-29T01:00+01:00", "2027-03-29T01:20+01:00");
    }

    @Test
    void theTriggerQuartzRunsFiresByTheSameRule() {
        OperableTrigger trigger = (OperableTrigger) TriggerBuilder.newTrigger()
                .startAt(Date.from(at("2027-03-12T00:00-05:00")))
                .withSchedule(new WallClockCronTrigger.Schedule("0 30 2 * * ?", TimeZone.getTimeZone(NEW_YORK),
                        CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW))
                .build();
        List<String> fired = new ArrayList<>();
        Date next = trigger.computeFirstFireTime(null);
        for (int i = 0; i < 4; i++) {
            fired.add(OffsetDateTime.ofInstant(next.toInstant(), NEW_YORK).toString());
            trigger.triggered(null);
            next = trigger.getNextFireTime();
        }

        assertThat(trigger).isInstanceOf(WallClockCronTrigger.class);
        assertThat(fired).containsExactly("2027-03-12T02:30-05:00", "2027-03-13T02:30-05:00", "2027-03-14T03:00-04:00",
                "2027-03-15T02:30-04:00");
        assertThat(((CronTrigger) trigger).getCronExpression()).isEqualTo("0 30 2 * * ?");
        assertThat(trigger.getScheduleBuilder()).isInstanceOf(WallClockCronTrigger.Schedule.class);
    }

    private static List<String> fires(String cron, ZoneId zone, String after, int count) throws ParseException {
        WallClockCron expression = new WallClockCron(cron, zone);
        List<String> times = new ArrayList<>();
        Instant time = at(after);
        while (times.size() < count) {
            time = expression.next(time);
            times.add(OffsetDateTime.ofInstant(time, zone).toString());
        }
        return times;
    }

    private static List<ZonedDateTime> fires(WallClockCron expression, Instant from, Instant until) {
        List<ZonedDateTime> times = new ArrayList<>();
        for (Instant time = expression.next(from); time != null && time.isBefore(until); time = expression.next(time)) {
            times.add(time.atZone(expression.zone()));
        }
        return times;
    }

    private static List<ZonedDateTime> cronUtils(String cron, ZoneId zone, Instant from, Instant until) {
        ExecutionTime execution = ExecutionTime.forCron(QUARTZ.parse(cron));
        List<ZonedDateTime> times = new ArrayList<>();
        ZonedDateTime time = from.atZone(zone);
        while ((time = execution.nextExecution(time).orElse(null)) != null && time.toInstant().isBefore(until)) {
            times.add(time.withZoneSameInstant(zone));
        }
        return times;
    }

    private static Instant at(String offsetDateTime) {
        return OffsetDateTime.parse(offsetDateTime).toInstant();
    }
}
