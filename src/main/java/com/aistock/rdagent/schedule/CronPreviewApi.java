package com.aistock.rdagent.schedule;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;

import com.aistock.rdagent.system.ApiException;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * {@code GET /schedules/preview?cron=&time_zone=&count=}: when a cron would fire, by the same rules a saved schedule
 * fires by, so the console can preview an expression while it is being typed.
 */
@Component("cronPreviewApi")
public class CronPreviewApi {

    private static final int DEFAULT_COUNT = 5;
    private static final int MAX_COUNT = 20;

    public record Preview(String cron, String quartzCron, String timeZone, List<OffsetDateTime> nextFireTimes) {
    }

    private final ScheduleValidator validator;

    public CronPreviewApi(ScheduleValidator validator) {
        this.validator = validator;
    }

    public Preview preview(@Header("cron") String cron, @Header("time_zone") String timeZone, @Header("count") String count) {
        if (cron == null || cron.isBlank()) {
            throw ApiException.validation("cron", "is required, e.g. \"0 30 9 ? * MON-FRI\" or \"30 9 * * 1-5\"");
        }
        if (cron.length() > CronSchedules.MAX_LENGTH) {
            throw ApiException.validation("cron", "must be at most " + CronSchedules.MAX_LENGTH + " characters");
        }
        ZoneId zone = validator.zone(timeZone == null || timeZone.isBlank() ? null : timeZone.strip());
        String quartz = CronSchedules.validate(cron, zone);
        return new Preview(cron.strip(), quartz, zone.getId(), CronSchedules.nextFireTimes(quartz, zone, count(count)));
    }

    private static int count(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_COUNT;
        }
        try {
            int count = Integer.parseInt(text.strip());
            if (count >= 1 && count <= MAX_COUNT) {
                return count;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.validation("count", "must be an integer from 1 to " + MAX_COUNT);
    }
}
