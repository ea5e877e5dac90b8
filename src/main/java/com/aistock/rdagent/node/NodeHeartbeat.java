package com.aistock.rdagent.node;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

import com.aistock.rdagent.system.SchedulerProperties;
import org.springframework.stereotype.Component;

/**
 * This node's own heartbeat in {@code rdagent_node}. It also knows whether the database has answered every
 * beat for a whole lease: until then this node does not judge other nodes (after an outage every heartbeat is
 * old, and nobody's tasks are lost for that).
 */
@Component("nodeHeartbeat")
public class NodeHeartbeat {

    private final NodeStore nodes;
    private final SchedulerProperties.Node node;
    private final int capacity;
    private final String host;
    private volatile long healthySince;

    public NodeHeartbeat(NodeStore nodes, SchedulerProperties properties) {
        this.nodes = nodes;
        this.node = properties.node();
        this.capacity = properties.worker().enabled() && node.has("worker") ? properties.worker().maxConcurrentRuns() : 0;
        this.host = hostName();
        this.healthySince = System.nanoTime();
    }

    public void beat() {
        try {
            nodes.beat(node.id(), String.join(",", node.roles().stream().sorted().toList()), capacity, host,
                    ProcessHandle.current().pid());
        } catch (RuntimeException unreachable) {
            healthySince = Long.MAX_VALUE;
            throw unreachable;
        }
        if (healthySince == Long.MAX_VALUE) {
            healthySince = System.nanoTime();
        }
    }

    /** Beats have reached the database for at least one lease without a miss. */
    public boolean steady() {
        long since = healthySince;
        return since != Long.MAX_VALUE && System.nanoTime() - since >= node.lease().toNanos();
    }

    public List<Node> all() {
        return nodes.list(node.lease());
    }

    public Duration lease() {
        return node.lease();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
