package com.aistock.rdagent.task;

import java.util.List;

/** How one attempt of a task ended, as recorded on its task. */
public record TaskOutcome(long taskId, int attempt, TaskStatus status, Integer exitCode, String stopReason,
                          String error, Object metrics, List<String> warnings, String archivePath) {
}
