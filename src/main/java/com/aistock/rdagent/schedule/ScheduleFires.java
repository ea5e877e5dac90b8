package com.aistock.rdagent.schedule;

import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.SchedulerProperties;
import com.aistock.rdagent.task.Submitted;
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
 * and a run-now, or two nodes) cannot both see "nothing running" and both create a task.
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

    /** Due (a task to submit), skipped by the overlap policy, or nothing to do (deleted, paused, already fired). */
    public FireOutcome prepare(@Body ScheduleFire fire) {
        Schedule schedule = store.lock(fire.scheduleId()).orElse(null);
        if (schedule == null) {
            if (fire.runNow()) {
                throw ApiException.notFound("no schedule " + fire.scheduleId());
            }
            return new FireOutcome.NothingToDo();
        }
        if (!fire.runNow() && (!schedule.enabled() || store.fired(schedule.id(), fire.scheduledAt()))) {
            return new FireOutcome.NothingToDo();
        }
        if (schedule.overlapPolicy() == OverlapPolicy.SKIP) {
            ScheduleStore.ActiveTask active = store.activeTask(schedule.id()).orElse(null);
            if (active != null) {
                return new FireOutcome.Skipped("previous task " + active.id() + " is still " + active.status());
            }
        }
        return new FireOutcome.Due(new TaskSubmission(taskBody(schedule), "schedule",
                fire.runNow() ? fire.operator() : schedule.operator(), schedule.id()));
    }

    public boolean isDue(@Body FireOutcome outcome) {
        return outcome.due() != null;
    }

    public TaskSubmission submission(@Body FireOutcome outcome) {
        return outcome.due();
    }

    public FireOutcome created(@Body Submitted tasks) {
        return new FireOutcome.Created(tasks);
    }

    /** Records the outcome in the schedule's fire history; the outcome passes through. */
    public FireOutcome record(@ExchangeProperty(FIRE) ScheduleFire fire, @Body FireOutcome outcome) {
        if (outcome.recordedAs() != null) {
            if (outcome.reason() != null) {
                log.info("Schedule {} fire {}: {}", fire.scheduleId(), outcome.recordedAs(), outcome.reason());
            }
            save(fire, outcome);
        }
        return outcome;
    }

    /** Inside the fire's transaction, which is then rolled back: the failure becomes the fire's outcome. */
    public FireOutcome failure(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception cause) {
        return new FireOutcome.Failed(cause);
    }

    public boolean hasFailed(@Body FireOutcome outcome) {
        return outcome.failure() != null;
    }

    /** After the rollback: records the failure on the schedule, in a transaction of its own. */
    public FireOutcome failed(@ExchangeProperty(FIRE) ScheduleFire fire, @Body FireOutcome failure) {
        log.warn("Schedule {} failed to fire: {}", fire.scheduleId(), failure.reason());
        save(fire, failure);
        return failure;
    }

    private void save(ScheduleFire fire, FireOutcome outcome) {
        store.recordFire(new ScheduleStore.FireRecord(fire.scheduleId(), fire.firedBy(), fire.scheduledAt(),
                outcome.recordedAs(), outcome.taskId(), outcome.reason(), node), properties.firesKept());
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
