package com.aistock.rdagent.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import com.aistock.rdagent.run.AttemptStore;
import com.aistock.rdagent.run.DockerLeftovers;
import com.aistock.rdagent.run.ProcessGroups;
import com.aistock.rdagent.run.ProcessStart;
import com.aistock.rdagent.run.RunRecovery;
import com.aistock.rdagent.system.SchedulerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs on every node, safely at once: a running task whose lease ran out on a node that stopped beating is lost.
 * It fails with {@code node lost}, or goes back to PENDING when {@code max_attempts} allows; but never while its
 * earlier attempt may still run (SPEC 12). When that attempt's process is in this node's pid space, it is confirmed
 * gone (pid + start time) or stopped (SIGINT, SIGINT, SIGKILL) first, under a lock on the task. Otherwise the task
 * waits until the run has stopped itself for sure ({@link SchedulerProperties#sweepAfter()}); the lost node, if it
 * ever comes back, kills what is left before anything else ({@link RunRecovery}).
 */
@Component("leaseSweeper")
public class LeaseSweeper {

    private static final Logger log = LoggerFactory.getLogger(LeaseSweeper.class);

    private final AttemptStore attempts;
    private final NodeHeartbeat heartbeat;
    private final DockerLeftovers docker;
    private final TransactionTemplate transactions;
    private final SchedulerProperties properties;

    public LeaseSweeper(AttemptStore attempts, NodeHeartbeat heartbeat, DockerLeftovers docker,
                        TransactionTemplate transactions, SchedulerProperties properties) {
        this.attempts = attempts;
        this.heartbeat = heartbeat;
        this.docker = docker;
        this.transactions = transactions;
        this.properties = properties;
    }

    public void sweep() {
        if (!heartbeat.steady()) {
            return;
        }
        Duration sweepAfter = properties.sweepAfter();
        for (AttemptStore.ExpiredLease lease : attempts.leaseExpired(heartbeat.lease())) {
            if (lease.runsHere()) {
                Boolean lost = transactions.execute(tx -> takeOverHere(lease));
                if (Boolean.TRUE.equals(lost)) {
                    log.warn("Task {} attempt {} lost with node {}; its process group is gone", lease.task().id(),
                            lease.task().attempt(), lease.task().node());
                }
            } else if (lease.silentSeconds() >= sweepAfter.toSeconds() && attempts.lose(lease.task(), "node lost")) {
                log.warn("Task {} attempt {} lost with node {} (silent for {} s; its run has stopped itself)",
                        lease.task().id(), lease.task().attempt(), lease.task().node(),
                        Math.round(lease.silentSeconds()));
            }
        }
    }

    /** Within a transaction that holds the task: stop the attempt's process group here, then lose the task. */
    private boolean takeOverHere(AttemptStore.ExpiredLease lease) {
        if (!attempts.lockExpired(lease.task(), heartbeat.lease())) {
            return false;
        }
        boolean alive = ProcessStart.alive(lease.pid(), lease.pidStarted());
        Optional<ProcessHandle> leader = alive ? ProcessHandle.of(lease.pid()) : Optional.empty();
        if (leader.isPresent()) {
            log.warn("Task {} attempt {}: node {} stopped beating, its run still goes on here: stopping group {}",
                    lease.task().id(), lease.task().attempt(), lease.task().node(), lease.pid());
            try {
                ProcessGroups.stop(leader.get(), properties.run().secondInterruptAfter(), properties.run().stopGrace());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while stopping process group " + lease.pid(), e);
            }
            ProcessGroups.killRemaining(lease.pid(), lease.pidStarted(), Duration.ofSeconds(30));
        }
        if (lease.workspace() != null) {
            docker.removeFor(Path.of(lease.workspace()));
        }
        attempts.closeAttempt(lease.attemptId(), leader.isPresent() ? "stopped by lease sweep" : "process gone");
        return attempts.lose(lease.task(), "node lost");
    }
}
