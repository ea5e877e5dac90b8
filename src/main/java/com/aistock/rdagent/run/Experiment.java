package com.aistock.rdagent.run;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** One Qlib experiment workspace of a run, with the metrics of its {@code qlib_res.csv}. */
public record Experiment(String name, @JsonIgnore Path folder, Map<String, Double> metrics, Instant finishedAt) {
}
