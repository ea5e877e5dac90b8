package com.aistock.rdagent.run;

import java.util.List;

import com.aistock.rdagent.system.SchedulerProperties;
import com.aistock.rdagent.task.Task;
import com.aistock.rdagent.task.TaskMetrics;
import com.aistock.rdagent.task.TaskOutcome;
import com.aistock.rdagent.task.TaskStatus;
import com.aistock.rdagent.task.TaskStore;
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

    public void finish(RunReport report) {
        tasks.finish(report.outcome());
        attempts.attemptFinished(report.taskId(), node, report.status().name());
        registry.remove(report.taskId());
        released(report.taskId(), report.status());
        log.info("Task {} {}{}", report.taskId(), report.status(),
                report.error() == null ? "" : ": " + report.error().lines().findFirst().orElse(""));
    }

    /** The pipeline itself broke (workspace, snapshot, archive…): the task fails with the reason, never hangs. */
    public void failed(@Header(WorkspacePreparer.TASK_ID) Long taskId, Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        log.error("Task {} failed in the scheduler", taskId, cause);
        if (taskId == null) {
            return;
        }
        RunRegistry.ActiveRun run = registry.forTask(taskId);
        TaskStatus status = run != null && run.stopStatus() != null ? run.stopStatus() : TaskStatus.FAILED;
        // the run may have ended before the pipeline broke: its exit code is kept
        Integer exit = exchange.getMessage().getHeader(ExecBinding.EXEC_EXIT_VALUE, Integer.class);
        Integer exitCode = exit == null || exit < 0 ? null : exit;
        String stopReason = status != TaskStatus.CANCELLED ? null : run.stoppedByShutdown() ? "shutdown" : "cancelled";
        tasks.finish(new TaskOutcome(taskId, status, exitCode, stopReason,
                "scheduler error: " + (cause == null ? "unknown" : cause.getMessage()), null, List.of(), null));
        attempts.attemptFinished(taskId, node, status.name());
        registry.remove(taskId);
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
