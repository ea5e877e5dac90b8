package com.aistock.rdagent.schedule;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.apache.camel.ProducerTemplate;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.springframework.scheduling.quartz.QuartzJobBean;

/**
 * What a schedule's Quartz trigger runs: hands the fire to the {@code run-schedule} route. Spring Boot's
 * {@code SpringBeanJobFactory} builds it with its dependencies and sets {@code scheduleId} from the job data.
 * One fire of a schedule at a time, cluster-wide, so overlap checks never race each other.
 */
@DisallowConcurrentExecution
public class ScheduleFireJob extends QuartzJobBean {

    static final String SCHEDULE_ID = "scheduleId";

    private final ProducerTemplate producer;
    private long scheduleId;

    public ScheduleFireJob(ProducerTemplate producer) {
        this.producer = producer;
    }

    public void setScheduleId(long scheduleId) {
        this.scheduleId = scheduleId;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) throws JobExecutionException {
        OffsetDateTime scheduledAt = context.getScheduledFireTime().toInstant().atOffset(ZoneOffset.UTC);
        FireOutcome outcome = producer.requestBody("direct:run-schedule",
                new ScheduleFire(scheduleId, ScheduleFire.CRON, scheduledAt, null), FireOutcome.class);
        if (outcome.failure() != null) {
            // already recorded on the schedule; Quartz logs it, and the next fire time comes as usual
            throw new JobExecutionException("schedule " + scheduleId + " failed to fire", outcome.failure(), false);
        }
    }
}
