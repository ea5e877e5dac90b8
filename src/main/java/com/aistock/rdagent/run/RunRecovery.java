package com.aistock.rdagent.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.aistock.rdagent.system.SchedulerProperties;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.DependsOn;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * What this node left running when it last stopped, settled before it does anything else: a process whose task
 * still counts on it is watched again (re-attached); one whose task was taken over meanwhile is killed first
 * (kill-before-retry), so no task ever runs twice at once; a task whose process is gone fails or is re-queued.
 */
@Component
@DependsOn("flywayInitializer")
public class RunRecovery {

    private static final Logger log = LoggerFactory.getLogger(RunRecovery.class);

    private final ProducerTemplate producer;
    private final List<Long> reattach = new ArrayList<>();

    public RunRecovery(AttemptStore attempts, SchedulerProperties properties, ProducerTemplate producer) {
        this.producer = producer;
        String node = properties.nodeId();
        for (AttemptStore.OpenAttempt attempt : attempts.openAttempts(node)) {
            boolean alive = ProcessStart.alive(attempt.pid(), attempt.pidStarted());
            if (alive && attempt.stillOwns(node)) {
                reattach.add(attempt.taskId());
                continue;
            }
            if (alive) {
                log.warn("Task {} attempt {} was taken over while this node was away: killing process group {}",
                        attempt.taskId(), attempt.attempt(), attempt.pid());
                ProcessGroups.killRemaining(attempt.pid(), Duration.ofSeconds(30));
            }
            attempts.closeAttempt(attempt.id(), alive ? "killed after take-over" : "process gone");
        }
        for (AttemptStore.LostTask task : attempts.runningOn(node)) {
            if (!reattach.contains(task.id()) && attempts.lose(task, "scheduler restarted")) {
                log.warn("Task {} attempt {} lost its process while this node was down", task.id(), task.attempt());
            }
        }
    }

    /** Once Camel runs: watch the surviving runs again, on the worker threads like any run. */
    @EventListener(ApplicationReadyEvent.class)
    public void reattach() {
        for (long taskId : reattach) {
            log.info("Re-attaching task {}", taskId);
            producer.sendBodyAndHeader("seda:task-reattach", null, WorkspacePreparer.TASK_ID, taskId);
        }
        reattach.clear();
    }
}
