package com.aistock.rdagent.task;

import java.util.List;

/** How a run ended, as recorded on its task. */
public record TaskOutcome(long taskId, TaskStatus status, Integer exitCode, String stopReason, String error,
                          Object metrics, List<String> warnings, String archivePath) {
}
