package com.aistock.rdagent.run;

import java.util.ArrayList;
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

    RunReport withExperiments(List<Experiment> converted) {
        return new RunReport(taskId, attempt, fenced, workspace, status, exitCode, stopReason, error, converted,
                summary, warnings, archivePath);
    }

    RunReport withWarning(String warning) {
        List<String> all = new ArrayList<>(warnings);
        all.add(warning);
        return new RunReport(taskId, attempt, fenced, workspace, status, exitCode, stopReason, error, experiments,
                summary, all, archivePath);
    }

    TaskOutcome outcome() {
        return new TaskOutcome(taskId, attempt, status, exitCode, stopReason, error, summary, warnings, archivePath);
    }
}
