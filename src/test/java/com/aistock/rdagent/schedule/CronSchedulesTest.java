package com.aistock.rdagent.schedule;

import java.time.DayOfWeek;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;

import com.aistock.rdagent.system.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CronSchedulesTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "*/5 * * * *        | 0 */5 * * * ?",
            "30 9 * * 1-5       | 0 30 9 ? * 2-6",
            "0 9 * * 0          | 0 0 9 ? * 1",
            "0 9 * * 7          | 0 0 9 ? * 1",
            "0 9 * * MON,fri    | 0 0 9 ? * MON,FRI",
            "0 9 * * */2        | 0 0 9 ? * */2",
            "0 9 1,15 * *       | 0 0 9 1,15 * ?",
            "0 9 * 1-6 *        | 0 0 9 * 1-6 ?",
            "0 30 9 ? * MON-FRI | 0 30 9 ? * MON-FRI",
            "0/2 * * * * ?      | 0/2 * * * * ?"})
    void unixFormIsConvertedAndQuartzFormKept(String cron, String quartz) {
        assertThat(CronSchedules.validate(cron, SHANGHAI)).isEqualTo(quartz);
    }

    @Test
    void aConvertedRangeThatWrapsKeepsItsDays() {
        // Unix 5-7 is Friday to Sunday; in Quartz numbering that is 6-1, a range Quartz wraps
        List<OffsetDateTime> times = CronSchedules.nextFireTimes(CronSchedules.validate("0 9 * * 5-7", SHANGHAI), SHANGHAI, 5);

        assertThat(times).extracting(OffsetDateTime::getDayOfWeek)
                .allMatch(day -> day == DayOfWeek.FRIDAY || day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY);
    }

    @Test
    void nextFireTimesAreInTheScheduleZone() {
        List<OffsetDateTime> times = CronSchedules.nextFireTimes("0 30 9 ? * MON-FRI", SHANGHAI, 5);

        assertThat(times).hasSize(5).allSatisfy(time -> {
            assertThat(time.getOffset().getId()).isEqualTo("+08:00");
            assertThat(time.toLocalTime().toString()).isEqualTo("09:30");
            assertThat(time.getDayOfWeek()).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
        });
        assertThat(times).isSorted();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0 9 1 * 1",
            "0 9 * * 8",
            "every day",
            "61 * * * * ?",
            "0 0 0 1 1 ? 2001"})
    void refusedExpressionsNameTheCronField(String cron) {
        assertThatThrownBy(() -> CronSchedules.validate(cron, SHANGHAI))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).isEqualTo("cron"));
    }
}
