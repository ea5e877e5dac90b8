package com.aistock.rdagent.schedule;

import java.text.ParseException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Date;
import java.util.TimeZone;

import org.quartz.CronExpression;

/**
 * When a Quartz cron expression fires in a time zone, with one rule for daylight-saving changes. The expression
 * picks wall-clock times (Quartz evaluates it over local date-times, in UTC, where no clock ever jumps); each is then
 * placed in the zone:
 * <ul>
 *   <li>a wall-clock time that occurs twice (clocks go back) fires once, at its first occurrence;</li>
 *   <li>a wall-clock time that does not exist (clocks go forward) fires at the first valid instant after it, the
 *       moment the clocks jumped, so the day is never skipped; several such times fire once.</li>
 * </ul>
 * Quartz's own zone handling does neither: it fires at the second occurrence, and skips the day of a missing time.
 */
public final class WallClockCron {

    private static final TimeZone UTC = TimeZone.getTimeZone(ZoneOffset.UTC);

    private final String expression;
    private final CronExpression localTimes;
    private final ZoneId zone;

    public WallClockCron(String quartzCron, ZoneId zone) throws ParseException {
        this.expression = quartzCron;
        this.localTimes = new CronExpression(quartzCron);
        this.localTimes.setTimeZone(UTC);
        this.zone = zone;
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The first fire time strictly after {@code after}, or null when the expression never fires again. */
    public Instant next(Instant after) {
        ZoneRules rules = zone.getRules();
        LocalDateTime wallClock = LocalDateTime.ofInstant(after, zone);
        ZoneOffsetTransition transition = rules.getTransition(wallClock);
        if (transition != null && transition.isOverlap() && rules.getOffset(after).equals(transition.getOffsetAfter())) {
            // the repeated hour's second pass: its wall-clock times fired the first time round
            wallClock = transition.getDateTimeBefore().minusNanos(1);
        }
        while (true) {
            Date local = localTimes.getTimeAfter(Date.from(wallClock.toInstant(ZoneOffset.UTC)));
            if (local == null) {
                return null;
            }
            wallClock = LocalDateTime.ofInstant(local.toInstant(), ZoneOffset.UTC);
            Instant fire = place(wallClock);
            // a missing time is placed at the jump, which may be what just fired
            if (fire.isAfter(after)) {
                return fire;
            }
        }
    }

    /** The instant a wall-clock time fires at. */
    Instant place(LocalDateTime wallClock) {
        ZoneOffsetTransition transition = zone.getRules().getTransition(wallClock);
        if (transition != null && transition.isGap()) {
            return transition.getInstant();
        }
        // without a preferred offset, an overlap resolves to the earlier offset: the first occurrence
        return ZonedDateTime.ofLocal(wallClock, zone, null).toInstant();
    }
}
