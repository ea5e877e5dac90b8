package com.aistock.rdagent.task;

import java.util.UUID;

import com.aistock.rdagent.config.TemplateSnapshot;

/** Everything stored for a task at submit time: its request, origin and the template snapshot it will run. */
public record NewTask(TaskRequest request, String origin, UUID batchId, Long scheduleId, Long rerunOf,
                      Long clonedFrom, Long datasetId, TemplateSnapshot snapshot, String operator) {
}
