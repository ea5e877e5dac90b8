package com.aistock.rdagent.run;

import java.util.List;

import com.aistock.rdagent.system.SchedulerProperties;
import com.aistock.rdagent.task.Task;
import com.aistock.rdagent.task.TaskMetrics;
import com.aistock.rdagent.task.TaskOutcome;
import com.aistock.rdagent.task.TaskStatus;
import com.aistock.rdagent.task.TaskStore;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.component.exec.ExecBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/** Records how a run ended and lets go of it. */
@Component("runFinisher")
public class RunFinisher {

    private static final Logger log = LoggerFactory.getLogger(RunFinisher.class);

    private final TaskStore tasks;
    private final RunRegistry registry;
    private final AttemptStore attempts;
    private final TaskMetrics metrics;
    private final TaskClaimScheduler claims;
    private final RunReadings readings;
    private final String node;

    public RunFinisher(TaskStore tasks, RunRegistry registry, AttemptStore attempts, TaskMetrics metrics,
                       TaskClaimScheduler claims, RunReadings readings, SchedulerProperties properties) {
        this.tasks = tasks;
        this.registry = registry;
        this.attempts = attempts;
        this.metrics = metrics;
        this.claims = claims;
        this.readings = readings;
        this.node = properties.nodeId();
    }

    /**
     * Records the attempt's outcome, and lets go of the run. A fenced attempt records none: the task is re-queued
     * or failed as lost, unless it has moved on already.
     *
     * @return whether the outcome became the task's, so its webhook is due
     */
    public boolean finish(RunReport report) {
        long taskId = report.taskId();
        boolean recorded = false;
        String outcome;
        if (report.fenced()) {
            attempts.lose(new AttemptStore.LostTask(taskId, report.attempt(), node), "fenced");
            outcome = "fenced";
            log.warn("Task {} attempt {} was fenced: no outcome recorded", taskId, report.attempt());
        } else {
            recorded = tasks.finish(report.outcome());
            outcome = recorded ? report.status().name() : "superseded";
            log.info("Task {} attempt {} {}{}", taskId, report.attempt(),
                    recorded ? report.status() : "ended, but the task has moved on",
                    report.error() == null || !recorded ? "" : ": " + report.error().lines().findFirst().orElse(""));
        }
        attempts.attemptFinished(taskId, report.attempt(), node, outcome);
        registry.remove(taskId);
        released(taskId, report.status());
        return recorded;
    }

    /** For the webhook's filter: {@link #finish} recorded the task's outcome. */
    public boolean recorded(@Body boolean recorded) {
        return recorded;
    }

    /** The pipeline itself broke (workspace, snapshot, archive…): the task fails with the reason, never hangs. */
    public void failed(@Header(WorkspacePreparer.TASK_ID) Long taskId,
                       @Header(WorkspacePreparer.ATTEMPT) Integer attempt, Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        log.error("Task {} failed in the scheduler", taskId, cause);
        if (taskId == null || attempt == null) {
            return;
        }
        RunRegistry.ActiveRun run = registry.forTask(taskId);
        boolean ours = run != null && run.spec().attempt() == attempt; // else an earlier attempt is winding down
        TaskStatus status = ours && run.stopStatus() != null ? run.stopStatus() : TaskStatus.FAILED;
        // the run may have ended before the pipeline broke: its exit code is kept
        Integer exit = exchange.getMessage().getHeader(ExecBinding.EXEC_EXIT_VALUE, Integer.class);
        Integer exitCode = exit == null || exit < 0 ? null : exit;
        String stopReason = status != TaskStatus.CANCELLED ? null : run.stoppedByShutdown() ? "shutdown" : "cancelled";
        tasks.finish(new TaskOutcome(taskId, attempt, status, exitCode, stopReason,
                "scheduler error: " + (cause == null ? "unknown" : cause.getMessage()), null, List.of(), null));
        attempts.attemptFinished(taskId, attempt, node, status.name());
        if (ours) {
            registry.remove(taskId);
        }
        released(taskId, status);
    }

    /**
     * A run slot is free: claim the next pending task now rather than at the next poll. The duration counts from
     * the task row's start, which survives a restart of this node, unlike the in-memory run.
     */
    private void released(long taskId, TaskStatus status) {
        readings.forget(taskId);
        claims.wake();
        try {
            metrics.runFinished(status, tasks.find(taskId).map(Task::startedAt).orElse(null));
        } catch (DataAccessException e) {
            // the outcome is stored; a lost sample is not worth failing the run over
            log.warn("Task {}: run duration not recorded ({})", taskId, e.getMessage());
        }
    }
}
