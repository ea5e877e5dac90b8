package com.aistock.rdagent.task;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A validated {@code POST /tasks} body (SPEC 5.1). Kept as the task's {@code params} so a rerun asks for
 * exactly the same run.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskRequest(
        String name,
        String scenario,
        List<Long> datasetIds,
        Integer loopN,
        Integer stepN,
        String allDuration,
        String timeout,
        String evolvingMode,
        Boolean knowledgeBase,
        Integer nEpochs,
        Integer batchSize,
        Integer nJobs,
        LocalDate trainStart,
        LocalDate trainEnd,
        LocalDate validStart,
        LocalDate validEnd,
        LocalDate testStart,
        LocalDate testEnd,
        List<Long> sourceHistoryIds,
        Map<String, String> env,
        Integer priority,
        String callbackUrl,
        Integer maxAttempts,
        String rankBy,
        BigDecimal maxCostUsd) {

    /** The metric that picks the task's best accepted experiment; the service default when unset. */
    public Metric ranking(Metric fallback) {
        return rankBy == null ? fallback : Metric.byKey(rankBy).orElse(fallback);
    }

    /** The same request narrowed to one dataset, as each task of a fan-out records it. */
    public TaskRequest forDataset(Long datasetId) {
        return new TaskRequest(name, scenario, datasetId == null ? null : List.of(datasetId), loopN, stepN,
                allDuration, timeout, evolvingMode, knowledgeBase, nEpochs, batchSize, nJobs, trainStart, trainEnd,
                validStart, validEnd, testStart, testEnd, sourceHistoryIds, env, priority, callbackUrl, maxAttempts, rankBy,
                maxCostUsd);
    }
}
