package com.aistock.rdagent.schedule;

import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.TimeZone;

import org.quartz.CronTrigger;
import org.quartz.ScheduleBuilder;
import org.quartz.impl.triggers.CronTriggerImpl;
import org.quartz.spi.MutableTrigger;

/**
 * A Quartz cron trigger that fires by {@link WallClockCron}'s daylight-saving rule instead of Quartz's own. Stored
 * in Quartz's cron table under its own type ({@link WallClockCronPersistence}), so every node loads it back as this
 * class; schedules' preview and {@code next_fire_times} use the same rule.
 */
public class WallClockCronTrigger extends CronTriggerImpl {

    private static final long serialVersionUID = 1L;

    private transient WallClockCron wallClock;

    @Override
    protected Date getTimeAfter(Date afterTime) {
        Instant next = wallClock().next(afterTime.toInstant());
        return next == null ? null : Date.from(next);
    }

    /** Tells Quartz's own cron persistence to leave this trigger to {@link WallClockCronPersistence}. */
    @Override
    public boolean hasAdditionalProperties() {
        return true;
    }

    @Override
    public ScheduleBuilder<CronTrigger> getScheduleBuilder() {
        return new Schedule(getCronExpression(), getTimeZone(), getMisfireInstruction());
    }

    private WallClockCron wallClock() {
        WallClockCron current = wallClock;
        // the expression and zone have setters: follow them
        if (current == null || !current.zone().equals(getTimeZone().toZoneId())
                || !current.expression().equals(getCronExpression())) {
            try {
                current = new WallClockCron(getCronExpression(), getTimeZone().toZoneId());
            } catch (ParseException e) {
                throw new IllegalStateException("cron expression " + getCronExpression(), e);
            }
            wallClock = current;
        }
        return current;
    }

    /** Builds the trigger for {@code TriggerBuilder.withSchedule}. */
    public static final class Schedule extends ScheduleBuilder<CronTrigger> {

        private final String cron;
        private final TimeZone zone;
        private final int misfireInstruction;

        public Schedule(String cron, TimeZone zone, int misfireInstruction) {
            this.cron = cron;
            this.zone = zone;
            this.misfireInstruction = misfireInstruction;
        }

        @Override
        protected MutableTrigger build() {
            WallClockCronTrigger trigger = new WallClockCronTrigger();
            try {
                trigger.setCronExpression(cron);
            } catch (ParseException e) {
                throw new IllegalArgumentException("cron expression " + cron, e);
            }
            trigger.setTimeZone(zone);
            trigger.setMisfireInstruction(misfireInstruction);
            return trigger;
        }
    }
}
