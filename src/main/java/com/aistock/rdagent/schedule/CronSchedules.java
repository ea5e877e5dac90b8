package com.aistock.rdagent.schedule;

import java.text.ParseException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.aistock.rdagent.system.ApiException;

/**
 * Schedule cron expressions: Quartz syntax ({@code s m h dom mon dow [year]}), or the 5-field Unix form
 * ({@code m h dom mon dow}) converted to it.
 */
public final class CronSchedules {

    /** Longest cron expression accepted, in a schedule and in the preview. */
    public static final int MAX_LENGTH = 120;

    /** One item of a Unix day-of-week list: a value or range (0–7, Sunday being 0 and 7, or names), a step. */
    private static final Pattern UNIX_DOW = Pattern.compile("(\\*|\\d+|[A-Za-z]{3})(?:-(\\d+|[A-Za-z]{3}))?(/\\d+)?");

    private CronSchedules() {
    }

    /** The Quartz expression for {@code cron}; a Quartz expression comes back unchanged. */
    public static String toQuartz(String cron) {
        String[] fields = cron.strip().split("\\s+");
        if (fields.length != 5) {
            return String.join(" ", fields);
        }
        String dom = fields[2];
        String dow = fields[4];
        // Quartz wants exactly one of the two day fields to be "?"; Unix ORs them when both are restricted
        if (dow.equals("*")) {
            dow = "?";
        } else if (dom.equals("*")) {
            dom = "?";
            dow = quartzDaysOfWeek(dow);
        } else {
            throw ApiException.validation("cron", "a 5-field cron may restrict day-of-month or day-of-week, "
                    + "not both (Quartz cannot express Unix's either-or)");
        }
        return String.join(" ", "0", fields[0], fields[1], dom, fields[3], dow);
    }

    /** Validates {@code cron} and returns its Quartz form, refusing expressions that never fire. */
    public static String validate(String cron, ZoneId zone) {
        String quartz = toQuartz(cron);
        if (expression(quartz, zone).next(Instant.now()) == null) {
            throw ApiException.validation("cron", "never fires again");
        }
        return quartz;
    }

    /** The next {@code count} fire times after now, in the schedule's zone: exactly when its trigger fires. */
    public static List<OffsetDateTime> nextFireTimes(String quartzCron, ZoneId zone, int count) {
        WallClockCron expression = expression(quartzCron, zone);
        List<OffsetDateTime> times = new ArrayList<>();
        Instant time = Instant.now();
        while (times.size() < count && (time = expression.next(time)) != null) {
            times.add(OffsetDateTime.ofInstant(time, zone));
        }
        return times;
    }

    private static WallClockCron expression(String quartz, ZoneId zone) {
        try {
            return new WallClockCron(quartz, zone);
        } catch (ParseException | RuntimeException e) {
            throw ApiException.validation("cron", "not a valid cron expression (" + e.getMessage() + ")");
        }
    }

    /** Unix numbers days 0–7 from Sunday (0 and 7 both Sunday), Quartz 1–7 from Sunday; names are the same. */
    private static String quartzDaysOfWeek(String unix) {
        List<String> items = new ArrayList<>();
        for (String item : unix.split(",", -1)) {
            Matcher matcher = UNIX_DOW.matcher(item);
            if (!matcher.matches()) {
                throw ApiException.validation("cron", "day-of-week item '" + item + "' is not valid in a 5-field cron");
            }
            String from = quartzDay(matcher.group(1));
            String to = matcher.group(2) == null ? "" : "-" + quartzDay(matcher.group(2));
            String step = matcher.group(3) == null ? "" : matcher.group(3);
            items.add(from + to + step);
        }
        return String.join(",", items);
    }

    private static String quartzDay(String unix) {
        if (unix.equals("*") || !Character.isDigit(unix.charAt(0))) {
            return unix.toUpperCase(Locale.ROOT);
        }
        int day = Integer.parseInt(unix);
        if (day > 7) {
            throw ApiException.validation("cron", "day-of-week " + day + " is out of range 0-7");
        }
        // a range that wraps after the conversion (Unix 5-7 → 6-1) is still valid: Quartz wraps day-of-week ranges
        return Integer.toString(day % 7 + 1);
    }
}
