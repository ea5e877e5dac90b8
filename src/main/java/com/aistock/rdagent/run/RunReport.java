package com.aistock.rdagent.run;

import java.util.List;

import com.aistock.rdagent.task.TaskOutcome;
import com.aistock.rdagent.task.TaskStatus;

/**
 * A finished run as collected from its workspace, on its way to the outbox and the task table.
 *
 * @param fenced the attempt no longer holds its task (taken over, or stopped because its lease went stale): it is
 *               neither archived nor recorded as the task's outcome
 */
public record RunReport(long taskId, int attempt, boolean fenced, Workspace workspace, TaskStatus status,
                        Integer exitCode, String stopReason, String error, List<Experiment> experiments,
                        RunSummary summary, List<String> warnings, String archivePath) {

    RunReport archivedAt(String path) {
        return new RunReport(taskId, attempt, fenced, workspace, status, exitCode, stopReason, error, experiments,
                summary, warnings, path);
    }

    TaskOutcome outcome() {
        return new TaskOutcome(taskId, attempt, status, exitCode, stopReason, error, summary, warnings, archivePath);
    }
}
