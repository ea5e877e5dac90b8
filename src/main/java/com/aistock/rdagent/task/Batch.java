package com.aistock.rdagent.task;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A batch of tasks run, paused, resumed, cancelled and limited as one (a grid or a dataset fan-out).
 *
 * @param grid          the axes it was made from
 * @param state         {@code active}, {@code paused} (no new task starts) or {@code cancelled}
 * @param maxConcurrent at most this many of its tasks run at once; null: no limit of its own
 * @param counts        its tasks by status
 */
public record Batch(UUID id, String name, JsonNode grid, String state, Integer maxConcurrent, String createdBy,
                    OffsetDateTime createdAt, JsonNode counts) {
}
