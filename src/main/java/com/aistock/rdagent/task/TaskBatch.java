package com.aistock.rdagent.task;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** The answer to a submit that fanned out over several datasets. */
public record TaskBatch(UUID batchId, List<Task> tasks) implements Submitted {

    @Override
    @JsonIgnore
    public List<Task> created() {
        return tasks;
    }
}
