package com.aistock.rdagent.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Everything under {@code scheduler.*}; defaults live in application.yml. */
@ConfigurationProperties("scheduler")
public record SchedulerProperties(
        String baseDir,
        String historyDir,
        String inboxDir,
        String outboxDir,
        String workDir,
        String dataDir,
        Node node,
        Worker worker,
        Run run,
        RdAgent rdagent) {

    /**
     * @param id          unique per running instance: it owns the tasks it runs (default: kept in data/node-id)
     * @param roles       any of api, worker, inbox, scheduler
     * @param lease       how long a node's heartbeat vouches for it and its running tasks
     * @param fenceAfter  a run whose lease was not renewed for this long stops itself
     * @param fenceMargin added to fence-after and the stop path before another host's run is taken over
     */
    public record Node(String id, Set<String> roles, Duration lease, Duration fenceAfter, Duration fenceMargin) {

        public boolean has(String role) {
            return roles.contains(role);
        }
    }

    public record Worker(boolean enabled, int maxConcurrentRuns, Duration pollInterval) {
    }

    /**
     * @param defaultTimeout        hard wall-clock limit when a task sets none
     * @param secondInterruptAfter  wait between the first and second SIGINT (RD-Agent aborts on the second)
     * @param stopGrace             wait after the second SIGINT before SIGKILL of the whole group
     * @param heartbeatInterval     lease renewal of running tasks
     */
    public record Run(Duration defaultTimeout, Duration secondInterruptAfter, Duration stopGrace,
                      Duration heartbeatInterval) {
    }

    /**
     * @param home          RD-Agent checkout; blank means demo mode with the bundled simulator
     * @param command       the {@code rdagent} executable
     * @param python        interpreter of RD-Agent's environment (ret.pkl conversion)
     * @param knowledgeBase folder handed to RD-Agent when a task asks for the knowledge base
     */
    public record RdAgent(String home, String command, String python, String knowledgeBase) {
    }

    public String nodeId() {
        return node.id();
    }

    /**
     * When a running task whose process may live on another host is taken over: its run has stopped itself by
     * then (fence-after, noticed within a heartbeat, then the whole stop path), with a margin.
     */
    public Duration sweepAfter() {
        return node.fenceAfter().plus(run.heartbeatInterval()).plus(run.secondInterruptAfter()).plus(run.stopGrace())
                .plus(node.fenceMargin());
    }

    /**
     * Folders are bound as text and resolved here against the working directory: bound as {@code Path}, Spring
     * would resolve a relative one against the servlet context's temporary docbase.
     */
    public Path base() {
        return Path.of(baseDir).toAbsolutePath().normalize();
    }

    public Path history() {
        return resolve(historyDir);
    }

    public Path inbox() {
        return resolve(inboxDir);
    }

    public Path outbox() {
        return resolve(outboxDir);
    }

    public Path work() {
        return resolve(workDir);
    }

    public Path data() {
        return resolve(dataDir);
    }

    private Path resolve(String folder) {
        return base().resolve(folder).toAbsolutePath().normalize();
    }
}
