package com.aistock.rdagent.schedule;

import java.util.List;

import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.SchedulerProperties;
import com.aistock.rdagent.task.Task;
import com.aistock.rdagent.task.TaskBatch;
import com.aistock.rdagent.task.TaskSubmission;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps of the {@code fire-schedule} route: decide what a fire does (under the schedule's row lock), then
 * record what it did. Prepare, submit and record share one transaction, so two fires of one schedule (a cron fire
 * and a run-now, or two nodes) cannot both see "nothing running" and both create a task. A fire's outcome is its
 * body: a task or batch, a {@link ScheduleSkip}, a {@link ScheduleFailure}, or null for nothing to do.
 */
@Component("scheduleFires")
public class ScheduleFires {

    /** The exchange property the route keeps the fire request in while the body becomes a task. */
    public static final String FIRE = "scheduleFire";

    private static final Logger log = LoggerFactory.getLogger(ScheduleFires.class);

    private final ScheduleStore store;
    private final ScheduleProperties properties;
    private final String node;

    public ScheduleFires(ScheduleStore store, ScheduleProperties properties, SchedulerProperties scheduler) {
        this.store = store;
        this.properties = properties;
        this.node = scheduler.nodeId();
    }

    /**
     * @return the task submission, a {@link ScheduleSkip}, or null when there is nothing to do (the schedule was
     *         deleted or paused after Quartz fired, or this cron time already fired)
     */
    public Object prepare(@Body ScheduleFire fire) {
        Schedule schedule = store.lock(fire.scheduleId()).orElse(null);
        if (schedule == null) {
            if (fire.runNow()) {
                throw ApiException.notFound("no schedule " + fire.scheduleId());
            }
            return null;
        }
        if (!fire.runNow() && (!schedule.enabled() || store.fired(schedule.id(), fire.scheduledAt()))) {
            return null;
        }
        if (schedule.overlapPolicy() == OverlapPolicy.SKIP) {
            ScheduleStore.ActiveTask active = store.activeTask(schedule.id()).orElse(null);
            if (active != null) {
                return new ScheduleSkip("previous task " + active.id() + " is still " + active.status());
            }
        }
        return new TaskSubmission(taskBody(schedule), "schedule",
                fire.runNow() ? fire.operator() : schedule.operator(), schedule.id());
    }

    /** Records the outcome; the body (the created task, batch or skip) passes through. */
    public Object record(@ExchangeProperty(FIRE) ScheduleFire fire, @Body Object outcome) {
        if (outcome instanceof ScheduleSkip skip) {
            log.info("Schedule {} skipped a fire: {}", fire.scheduleId(), skip.reason());
            save(fire, "skipped", null, skip.reason());
        } else if (outcome instanceof Task task) {
            save(fire, "created", task.id(), null);
        } else if (outcome instanceof TaskBatch batch) {
            List<Task> tasks = batch.tasks();
            save(fire, "created", tasks.get(0).id(), "batch " + batch.batchId() + " of " + tasks.size() + " tasks");
        }
        return outcome;
    }

    /** Inside the fire's transaction, which is then rolled back: the failure becomes the fire's outcome. */
    public ScheduleFailure failure(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception cause) {
        return new ScheduleFailure(cause);
    }

    /** After the rollback: records the failure on the schedule, in a transaction of its own. */
    public ScheduleFailure failed(@ExchangeProperty(FIRE) ScheduleFire fire, @Body ScheduleFailure failure) {
        String reason = failure.cause() instanceof ApiException refused && refused.field() != null
                ? refused.field() + ": " + refused.getMessage()
                : String.valueOf(failure.cause().getMessage());
        log.warn("Schedule {} failed to fire: {}", fire.scheduleId(), reason);
        save(fire, "failed", null, reason);
        return failure;
    }

    private void save(ScheduleFire fire, String outcome, Long taskId, String reason) {
        store.recordFire(new ScheduleStore.FireRecord(fire.scheduleId(), fire.firedBy(), fire.scheduledAt(), outcome,
                taskId, reason, node), properties.firesKept());
    }

    /** The template as POST /tasks takes it, with the pinned template versions and a default name. */
    private static String taskBody(Schedule schedule) {
        ObjectNode body = schedule.task().deepCopy();
        if (schedule.configPin().fixed()) {
            ArrayNode ids = body.putArray("source_history_ids");
            schedule.configPin().historyIds().forEach(ids::add);
        }
        if (!body.hasNonNull("name")) {
            body.put("name", schedule.name());
        }
        return body.toString();
    }
}
