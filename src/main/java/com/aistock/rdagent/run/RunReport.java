package com.aistock.rdagent.run;

import java.util.List;

import com.aistock.rdagent.task.TaskOutcome;
import com.aistock.rdagent.task.TaskStatus;

/** A finished run as collected from its workspace, on its way to the outbox and the task table. */
public record RunReport(long taskId, Workspace workspace, TaskStatus status, Integer exitCode, String stopReason,
                        String error, List<Experiment> experiments, RunSummary summary, List<String> warnings,
                        String archivePath) {

    RunReport archivedAt(String path) {
        return new RunReport(taskId, workspace, status, exitCode, stopReason, error, experiments, summary, warnings, path);
    }

    RunReport withExperiments(List<Experiment> converted) {
        return new RunReport(taskId, workspace, status, exitCode, stopReason, error, converted, summary, warnings,
                archivePath);
    }

    TaskOutcome outcome() {
        return new TaskOutcome(taskId, status, exitCode, stopReason, error, summary, warnings, archivePath);
    }
}
