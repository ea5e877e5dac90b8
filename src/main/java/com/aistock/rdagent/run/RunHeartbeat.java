package com.aistock.rdagent.run;

import java.util.List;

import com.aistock.rdagent.system.SchedulerProperties;
import com.aistock.rdagent.task.TaskStatus;
import com.aistock.rdagent.task.TaskStore;
import org.springframework.stereotype.Component;

/**
 * Renews the lease of this node's running tasks, and carries out cancels that were asked for on any node.
 */
@Component("runHeartbeat")
public class RunHeartbeat {

    private final RunRegistry registry;
    private final TaskStore tasks;
    private final String node;

    public RunHeartbeat(RunRegistry registry, TaskStore tasks, SchedulerProperties properties) {
        this.registry = registry;
        this.tasks = tasks;
        this.node = properties.nodeId();
    }

    public void beat() {
        List<Long> running = registry.activeTaskIds();
        if (!running.isEmpty()) {
            tasks.heartbeat(node, running).forEach(id -> registry.requestStop(id, TaskStatus.CANCELLED));
        }
    }
}
