package com.aistock.rdagent.schedule;

import com.aistock.rdagent.system.SchedulerProperties;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Starts Spring Boot's Quartz scheduler ({@code spring.quartz.auto-startup=false}) once the application is ready.
 * Not a SmartLifecycle: those start inside the context refresh, before Camel, which starts on the
 * ContextRefreshedEvent that follows; a clustered store may hold due or missed fires, and a fire needs Camel's
 * {@code direct:run-schedule}. ApplicationReadyEvent comes after that event. Shutdown needs nothing here:
 * Spring's SchedulerFactoryBean is a SmartLifecycle in the last phase, so it stands by before Camel stops.
 */
@Component
public class ScheduleStartup {

    private static final Logger log = LoggerFactory.getLogger(ScheduleStartup.class);

    private final ScheduleService schedules;
    private final Scheduler scheduler;
    private final boolean fires;

    public ScheduleStartup(ScheduleService schedules, Scheduler scheduler, SchedulerProperties properties) {
        this.schedules = schedules;
        this.scheduler = scheduler;
        this.fires = properties.node().has("scheduler");
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() throws SchedulerException {
        if (!fires) {
            log.info("No scheduler role: this node fires no schedules");
            return;
        }
        // before the first fire: a schedule edited or deleted while no node ran must not fire as it was
        schedules.reconcileAll();
        scheduler.start();
        log.info("Quartz scheduler {} started as {}", scheduler.getSchedulerName(), scheduler.getSchedulerInstanceId());
    }
}
