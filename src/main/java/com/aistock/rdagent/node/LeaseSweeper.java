package com.aistock.rdagent.node;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs on every node, safely at once: a running task whose lease ran out on a node that stopped beating is
 * lost. It fails with {@code node lost}, or goes back to PENDING when {@code max_attempts} allows; the lost node,
 * if it ever comes back, kills the old process group before anything else ({@link NodeRecovery}).
 */
@Component("leaseSweeper")
public class LeaseSweeper {

    private static final Logger log = LoggerFactory.getLogger(LeaseSweeper.class);

    private final NodeStore nodes;
    private final NodeHeartbeat heartbeat;

    public LeaseSweeper(NodeStore nodes, NodeHeartbeat heartbeat) {
        this.nodes = nodes;
        this.heartbeat = heartbeat;
    }

    public void sweep() {
        if (!heartbeat.steady()) {
            return;
        }
        for (NodeStore.LostTask task : nodes.leaseExpired(heartbeat.lease())) {
            if (nodes.lose(task, "node lost")) {
                log.warn("Task {} attempt {} lost with node {}", task.id(), task.attempt(), task.node());
            }
        }
    }
}
