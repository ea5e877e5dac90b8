package com.aistock.rdagent.node;

import java.time.OffsetDateTime;
import java.util.List;

/** A scheduler instance as {@code GET /nodes} shows it. */
public record Node(String id, List<String> roles, int capacity, String host, long runningTasks, boolean alive,
                   OffsetDateTime startedAt, OffsetDateTime heartbeatAt) {
}
