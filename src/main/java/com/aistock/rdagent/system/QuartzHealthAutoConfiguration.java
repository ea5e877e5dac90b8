package com.aistock.rdagent.system;

import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Readiness of the schedules: the Quartz scheduler is started and not shut down (standby is only reported: a node
 * without the scheduler role may hold its scheduler in standby). Only where a Quartz
 * {@link Scheduler} bean exists; an auto-configuration so the condition sees the scheduler whichever
 * configuration declares it.
 */
@AutoConfiguration(afterName = "org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration")
@ConditionalOnClass(Scheduler.class)
@ConditionalOnBean(Scheduler.class)
public class QuartzHealthAutoConfiguration {

    @Bean
    AbstractHealthIndicator quartzHealthIndicator(Scheduler scheduler) {
        return new AbstractHealthIndicator("Quartz check failed") {
            @Override
            protected void doHealthCheck(Health.Builder builder) throws SchedulerException {
                boolean running = scheduler.isStarted() && !scheduler.isShutdown();
                builder.status(running ? "UP" : "DOWN")
                        .withDetail("scheduler", scheduler.getSchedulerName())
                        .withDetail("started", scheduler.isStarted())
                        .withDetail("standby", scheduler.isInStandbyMode())
                        .withDetail("clustered", scheduler.getMetaData().isJobStoreClustered());
            }
        };
    }
}
