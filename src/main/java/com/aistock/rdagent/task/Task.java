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

    @Override
    @JsonIgnore
    public List<Task> created() {
        return List.of(this);
    }
}
