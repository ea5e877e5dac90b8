package com.aistock.rdagent.node;

import java.util.List;

import org.springframework.stereotype.Component;

/** {@code GET /nodes}: who shares this database, with which roles, how busy, and whether still alive. */
@Component("nodeApi")
public class NodeApi {

    private final NodeHeartbeat heartbeat;

    public NodeApi(NodeHeartbeat heartbeat) {
        this.heartbeat = heartbeat;
    }

    public List<Node> list() {
        return heartbeat.all();
    }
}
