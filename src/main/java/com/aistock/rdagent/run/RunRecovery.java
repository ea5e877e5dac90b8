package com.aistock.rdagent.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.aistock.rdagent.system.SchedulerProperties;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.DependsOn;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * What this node left running when it last stopped, settled before it does anything else. A run whose task still
 * counts on it is picked up again: watched if it goes on, finished like any other if it ended meanwhile (its
 * launcher recorded how). A process whose task was taken over meanwhile is killed first (kill-before-retry), so no
 * task ever runs twice at once. A task whose process is gone without an exit status, or that stopped itself because
 * its lease went stale, fails or is re-queued. The Docker containers of every run that is over are removed.
 */
@Component
@DependsOn("flywayInitializer")
public class RunRecovery {

    private static final Logger log = LoggerFactory.getLogger(RunRecovery.class);

    private final ProducerTemplate producer;
    private final List<AttemptStore.OpenAttempt> reattach = new ArrayList<>();

    public RunRecovery(AttemptStore attempts, RunLauncher launcher, DockerLeftovers docker,
                       SchedulerProperties properties, ProducerTemplate producer) {
        this.producer = producer;
        String node = properties.nodeId();
        List<Long> fenced = new ArrayList<>();
        for (AttemptStore.OpenAttempt attempt : attempts.openAttempts(node)) {
            // a pid from another boot or pid namespace (a restarted container) names no process of this run
            boolean here = attempt.pidSpace() == null || PidSpace.isHere(attempt.pidSpace());
            boolean alive = here && ProcessStart.alive(attempt.pid(), attempt.pidStarted());
            Workspace workspace = attempt.workspace() == null ? null : new Workspace(Path.of(attempt.workspace()));
            Optional<ExitStatus> exit = here && workspace != null
                    ? launcher.exitStatus(workspace, attempt.pid()) : Optional.empty();
            boolean stoppedItself = exit.isPresent() && exit.get().fenced();
            if (attempt.stillOwns(node) && (alive || exit.isPresent() && !stoppedItself)) {
                reattach.add(attempt);
                continue;
            }
            if (alive) {
                log.warn("Task {} attempt {} was taken over while this node was away: killing process group {}",
                        attempt.taskId(), attempt.attempt(), attempt.pid());
                ProcessGroups.killRemaining(attempt.pid(), attempt.pidStarted(), Duration.ofSeconds(30));
            }
            if (here && workspace != null) {
                docker.removeFor(workspace.root());
            }
            if (stoppedItself && attempt.stillOwns(node)) {
                fenced.add(attempt.taskId());
            }
            attempts.closeAttempt(attempt.id(),
                    alive ? "killed after take-over" : stoppedItself ? "fenced" : "process gone");
        }
        for (AttemptStore.LostTask task : attempts.runningOn(node)) {
            if (reattach.stream().anyMatch(a -> a.taskId() == task.id())) {
                continue;
            }
            String reason = fenced.contains(task.id()) ? "fenced" : "scheduler restarted";
            if (attempts.lose(task, reason)) {
                log.warn("Task {} attempt {} lost its run while this node was down ({})", task.id(), task.attempt(),
                        reason);
            }
        }
    }

    /** Once Camel runs: watch the surviving runs again, or finish those that ended, on the worker threads. */
    @EventListener(ApplicationReadyEvent.class)
    public void reattach() {
        for (AttemptStore.OpenAttempt attempt : reattach) {
            log.info("Re-attaching task {}", attempt.taskId());
            producer.sendBody("seda:task-reattach", attempt);
        }
        reattach.clear();
    }
}
