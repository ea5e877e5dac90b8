package com.aistock.rdagent.task;

import java.util.List;
import java.util.UUID;

/** The answer to a submit that fanned out over several datasets. */
public record TaskBatch(UUID batchId, List<Task> tasks) {
}
