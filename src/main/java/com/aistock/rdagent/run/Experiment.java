package com.aistock.rdagent.run;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One Qlib experiment workspace of a run, with the metrics of its {@code qlib_res.csv}, and the RD-Agent loop it
 * belongs to when RD-Agent's events told (null otherwise).
 */
public record Experiment(String name, @JsonIgnore Path folder, Map<String, Double> metrics, Instant finishedAt,
                         Integer loop) {

    public Experiment(String name, Path folder, Map<String, Double> metrics, Instant finishedAt) {
        this(name, folder, metrics, finishedAt, null);
    }

    /** The loop that was under way when this experiment's results were written. */
    Experiment inLoopOf(List<TaskLoop> loops) {
        Integer found = null;
        for (TaskLoop loop : loops) {
            if (loop.startedAt() != null && !loop.startedAt().toInstant().isAfter(finishedAt)) {
                found = loop.loop();
            }
        }
        return new Experiment(name, folder, metrics, finishedAt, found);
    }
}
