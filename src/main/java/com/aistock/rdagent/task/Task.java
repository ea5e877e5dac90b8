package com.aistock.rdagent.task;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;

/** A task as the API shows it (SPEC 7.1). */
public record Task(
        long id,
        String name,
        String scenario,
        TaskStatus status,
        String origin,
        UUID batchId,
        Long scheduleId,
        Long rerunOf,
        Long clonedFrom,
        Long datasetId,
        int priority,
        JsonNode params,
        JsonNode progress,
        JsonNode metrics,
        String configHash,
        JsonNode config,
        String workspacePath,
        String archivePath,
        Long pid,
        String node,
        int attempt,
        Integer exitCode,
        String stopReason,
        String error,
        JsonNode warnings,
        String operator,
        boolean cancelRequested,
        OffsetDateTime createdAt,
        OffsetDateTime startedAt,
        OffsetDateTime finishedAt,
        List<String> tags,
        String note,
        boolean starred,
        JsonNode cost) implements Submitted {

    /** This task as it was when it ended that way: how it ended replaced, everything else as it is now. */
    public Task asEnded(TaskStatus status, String stopReason, String error, JsonNode metrics, OffsetDateTime finishedAt) {
        return new Task(id, name, scenario, status, origin, batchId, scheduleId, rerunOf, clonedFrom, datasetId, priority,
                params, progress, metrics, configHash, config, workspacePath, archivePath, pid, node, attempt, exitCode,
                stopReason, error, warnings, operator, cancelRequested, createdAt, startedAt, finishedAt, tags, note,
                starred, cost);
    }

    @Override
    @JsonIgnore
    public List<Task> created() {
        return List.of(this);
    }
}
