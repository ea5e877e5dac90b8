package com.aistock.rdagent.node;

import com.aistock.rdagent.run.AttemptStore;
import com.aistock.rdagent.run.RunRecovery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs on every node, safely at once: a running task whose lease ran out on a node that stopped beating is
 * lost. It fails with {@code node lost}, or goes back to PENDING when {@code max_attempts} allows; the lost node,
 * if it ever comes back, kills the old process group before anything else ({@link RunRecovery}).
 */
@Component("leaseSweeper")
public class LeaseSweeper {

    private static final Logger log = LoggerFactory.getLogger(LeaseSweeper.class);

    private final AttemptStore attempts;
    private final NodeHeartbeat heartbeat;

    public LeaseSweeper(AttemptStore attempts, NodeHeartbeat heartbeat) {
        this.attempts = attempts;
        this.heartbeat = heartbeat;
    }

    public void sweep() {
        if (!heartbeat.steady()) {
            return;
        }
        for (AttemptStore.LostTask task : attempts.leaseExpired(heartbeat.lease())) {
            if (attempts.lose(task, "node lost")) {
                log.warn("Task {} attempt {} lost with node {}", task.id(), task.attempt(), task.node());
            }
        }
    }
}
