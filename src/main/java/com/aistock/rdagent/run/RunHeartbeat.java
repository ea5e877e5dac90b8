package com.aistock.rdagent.run;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.aistock.rdagent.system.SchedulerProperties;
import com.aistock.rdagent.task.TaskStatus;
import com.aistock.rdagent.task.TaskStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Renews the lease of this node's running attempts, and carries out cancels that were asked for on any node. Each
 * renewal also touches the run's lease file, which its launcher watches: a run whose lease could not be renewed for
 * {@code scheduler.node.fence-after} (this node gone, or the database away) stops itself. A run whose task was taken
 * over meanwhile is stopped at once and records nothing.
 */
@Component("runHeartbeat")
public class RunHeartbeat {

    private static final Logger log = LoggerFactory.getLogger(RunHeartbeat.class);

    private final RunRegistry registry;
    private final TaskStore tasks;
    private final RunLauncher launcher;
    private final RdAgentExecutor executor;
    private final String node;
    private volatile boolean failing;

    public RunHeartbeat(RunRegistry registry, TaskStore tasks, RunLauncher launcher, RdAgentExecutor executor,
                        SchedulerProperties properties) {
        this.registry = registry;
        this.tasks = tasks;
        this.launcher = launcher;
        this.executor = executor;
        this.node = properties.nodeId();
    }

    public void beat() {
        List<RunRegistry.ActiveRun> runs = registry.activeRuns();
        if (runs.isEmpty()) {
            return;
        }
        Map<Long, Integer> attempts = new LinkedHashMap<>();
        runs.forEach(run -> attempts.put(run.spec().taskId(), run.spec().attempt()));
        Map<Long, Boolean> held;
        try {
            held = tasks.heartbeat(node, attempts);
        } catch (DataAccessException e) {
            if (!failing) {
                log.warn("Cannot renew the leases of {} run(s) ({}); each stops itself if this lasts fence-after",
                        runs.size(), e.getMessage());
                failing = true;
            }
            return;
        }
        if (failing) {
            log.info("Leases of {} run(s) renewed again", held.size());
            failing = false;
        }
        for (RunRegistry.ActiveRun run : runs) {
            long taskId = run.spec().taskId();
            Boolean cancel = held.get(taskId);
            if (cancel == null) {
                if (!run.fenced() && registry.forTask(taskId) == run) {
                    log.warn("Task {} attempt {} is no longer this node's: stopping its run", taskId,
                            run.spec().attempt());
                    registry.fence(taskId);
                }
                continue;
            }
            renew(run);
            if (cancel) {
                registry.requestStop(taskId, TaskStatus.CANCELLED);
            }
            if (run.pid() != null && !run.recorded()) {
                executor.record(run);
            }
        }
    }

    private void renew(RunRegistry.ActiveRun run) {
        try {
            launcher.renew(run.spec().workspace());
        } catch (IOException e) {
            log.warn("Task {}: cannot touch the lease file ({})", run.spec().taskId(), e.getMessage());
        }
    }
}
