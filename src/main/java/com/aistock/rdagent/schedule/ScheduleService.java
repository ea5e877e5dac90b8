package com.aistock.rdagent.schedule;

import java.util.List;

import com.aistock.rdagent.system.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Saving, pausing and deleting schedules. The table is the source of truth: every change reconciles Quartz in
 * the same transaction as the row, and at start-up every schedule is reconciled again (the table wins).
 */
@Service
public class ScheduleService {

    private static final Logger log = LoggerFactory.getLogger(ScheduleService.class);
    private static final int NEXT_FIRE_TIMES = 5;

    private final ScheduleValidator validator;
    private final ScheduleStore store;
    private final ScheduleTriggers triggers;
    private final ScheduleProperties properties;
    private final TransactionTemplate transaction;

    public ScheduleService(ScheduleValidator validator, ScheduleStore store, ScheduleTriggers triggers,
                           ScheduleProperties properties, TransactionTemplate transaction) {
        this.validator = validator;
        this.store = store;
        this.triggers = triggers;
        this.properties = properties;
        this.transaction = transaction;
    }

    @Transactional
    public ScheduleView create(String body, String operator) {
        long id = store.insert(validator.parse(body), operator);
        return reconciled(id);
    }

    @Transactional
    public ScheduleView update(long id, String body, String operator) {
        ScheduleDefinition definition = validator.parse(body);
        if (!store.update(id, definition, operator)) {
            throw notFound(id);
        }
        return reconciled(id);
    }

    @Transactional
    public ScheduleView setEnabled(long id, boolean enabled, String operator) {
        if (!store.setEnabled(id, enabled, operator)) {
            throw notFound(id);
        }
        return reconciled(id);
    }

    @Transactional
    public ScheduleView delete(long id) {
        ScheduleView deleted = view(store.lock(id).orElseThrow(() -> notFound(id)));
        store.delete(id);
        triggers.remove(id);
        return deleted;
    }

    public ScheduleView get(long id) {
        return view(store.find(id).orElseThrow(() -> notFound(id)));
    }

    public SchedulePage list(int page, int size) {
        return new SchedulePage(store.page(page, size).stream().map(this::view).toList(), store.count(), page, size);
    }

    /**
     * Start-up: brings Quartz in line with the table, one schedule per transaction so one bad row cannot hold
     * the others back, then drops jobs whose schedule is gone (looked up again: another node may be saving one).
     */
    public void reconcileAll() {
        List<Long> ids = store.ids();
        for (long id : ids) {
            try {
                transaction.executeWithoutResult(status -> store.lock(id).ifPresent(triggers::sync));
            } catch (RuntimeException e) {
                log.error("Schedule {} could not be reconciled with Quartz", id, e);
            }
        }
        for (long id : triggers.scheduledIds()) {
            if (store.find(id).isEmpty()) {
                triggers.remove(id);
            }
        }
        log.info("Reconciled {} schedule(s) with Quartz", ids.size());
    }

    private ScheduleView reconciled(long id) {
        Schedule schedule = store.lock(id).orElseThrow(() -> notFound(id));
        triggers.sync(schedule);
        return view(schedule);
    }

    private ScheduleView view(Schedule schedule) {
        String quartzCron = schedule.quartzCron();
        return new ScheduleView(schedule.id(), schedule.name(), schedule.cron(), quartzCron,
                schedule.timeZone().getId(), schedule.task(), schedule.configPin(), schedule.overlapPolicy(),
                schedule.misfirePolicy(), schedule.enabled(),
                schedule.enabled()
                        ? CronSchedules.nextFireTimes(quartzCron, schedule.timeZone(), NEXT_FIRE_TIMES)
                        : List.of(),
                schedule.lastFireAt(), schedule.lastTaskId(),
                store.recentTasks(schedule.id(), properties.recent()),
                store.recentFires(schedule.id(), properties.recent()),
                schedule.operator(), schedule.createdAt(), schedule.updatedAt());
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("no schedule " + id);
    }
}
