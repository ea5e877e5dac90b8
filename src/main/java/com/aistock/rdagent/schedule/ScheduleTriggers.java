package com.aistock.rdagent.schedule;

import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;

import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.springframework.stereotype.Component;

/**
 * The Quartz side of schedules: one job and one {@link WallClockCronTrigger} per enabled schedule, in group
 * {@value #GROUP}.
 * Called inside the transaction that changed the row, so Quartz's JDBC store (which joins Spring transactions)
 * commits or rolls back with it.
 */
@Component
public class ScheduleTriggers {

    static final String GROUP = "rdagent-schedules";

    private final Scheduler scheduler;

    public ScheduleTriggers(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    static JobKey jobKey(long scheduleId) {
        return JobKey.jobKey(Long.toString(scheduleId), GROUP);
    }

    static TriggerKey triggerKey(long scheduleId) {
        return TriggerKey.triggerKey(Long.toString(scheduleId), GROUP);
    }

    /**
     * Makes Quartz match the row: a paused schedule has no job; an enabled one a trigger with its cron, zone and
     * misfire policy. An unchanged trigger is left alone, so its pending fire and misfire state survive restarts.
     */
    public void sync(Schedule schedule) {
        if (!schedule.enabled()) {
            remove(schedule.id());
            return;
        }
        CronTrigger wanted = trigger(schedule);
        quartz("schedule " + schedule.id(), () -> {
            if (same(scheduler.getTrigger(wanted.getKey()), wanted)) {
                return null;
            }
            // a cron bounded by a year may be past its last fire time: Quartz dropped it and would refuse it back
            if (wanted.getFireTimeAfter(new Date()) == null) {
                return scheduler.deleteJob(jobKey(schedule.id()));
            }
            scheduler.scheduleJob(job(schedule.id()), Set.of(wanted), true);
            return null;
        });
    }

    public void remove(long scheduleId) {
        quartz("schedule " + scheduleId, () -> scheduler.deleteJob(jobKey(scheduleId)));
    }

    /** The schedules Quartz holds a job for. */
    public List<Long> scheduledIds() {
        return quartz("group " + GROUP, () -> scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP)).stream()
                .map(key -> Long.valueOf(key.getName()))
                .toList());
    }

    private interface QuartzCall<T> {
        T run() throws SchedulerException;
    }

    private static <T> T quartz(String what, QuartzCall<T> call) {
        try {
            return call.run();
        } catch (SchedulerException e) {
            throw new IllegalStateException("Quartz failed on " + what, e);
        }
    }

    private static JobDetail job(long scheduleId) {
        // recovery re-runs a fire whose node died mid-way; the fire table's unique cron time keeps it to one task
        return JobBuilder.newJob(ScheduleFireJob.class)
                .withIdentity(jobKey(scheduleId))
                .usingJobData(ScheduleFireJob.SCHEDULE_ID, scheduleId)
                .requestRecovery(true)
                .build();
    }

    private static CronTrigger trigger(Schedule schedule) {
        int misfire = schedule.misfirePolicy() == MisfirePolicy.FIRE_ONCE
                ? CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW
                : CronTrigger.MISFIRE_INSTRUCTION_DO_NOTHING;
        return TriggerBuilder.newTrigger()
                .withIdentity(triggerKey(schedule.id()))
                .forJob(jobKey(schedule.id()))
                .withSchedule(new WallClockCronTrigger.Schedule(schedule.quartzCron(),
                        TimeZone.getTimeZone(schedule.timeZone()), misfire))
                .build();
    }

    /** A trigger stored before the wall-clock rule (a plain Quartz cron trigger) is replaced. */
    private static boolean same(Trigger existing, CronTrigger wanted) {
        return existing instanceof WallClockCronTrigger cron
                && cron.getCronExpression().equals(wanted.getCronExpression())
                && cron.getTimeZone().getID().equals(wanted.getTimeZone().getID())
                && cron.getMisfireInstruction() == wanted.getMisfireInstruction();
    }
}
