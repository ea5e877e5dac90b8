package com.aistock.rdagent.run;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.aistock.rdagent.task.Metric;
import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One Qlib experiment workspace of a run ({@code ws/<name>/}) with the metrics of its {@code qlib_res.csv}.
 *
 * @param loop      the RD-Agent loop that ran it; null when neither the log nor the times tell
 * @param kind      {@code baseline} (RD-Agent's reference run before the first experiment), {@code factor} or
 *                  {@code model}
 * @param metrics   every finite value of the file
 * @param nonFinite the metrics that were NaN or infinite
 * @param curve     whether {@code ret.pkl} has been converted to {@code ret.csv}
 */
public record Experiment(String name, @JsonIgnore Path folder, Integer loop, String kind, Map<String, Double> metrics,
                         List<String> nonFinite, Instant finishedAt, boolean curve) {

    public static final String BASELINE = "baseline";

    /** Results a ranking may use: no headline metric NaN or infinite, and at least one of them there. */
    @JsonIgnore
    public boolean isFinite() {
        return invalidMetrics().isEmpty() && java.util.Arrays.stream(Metric.values())
                .anyMatch(m -> metrics.containsKey(m.qlibName()));
    }

    /** The headline metrics that were not finite, by their Qlib names. */
    @JsonIgnore
    public List<String> invalidMetrics() {
        return java.util.Arrays.stream(Metric.values()).map(Metric::qlibName).filter(nonFinite::contains).toList();
    }

    @JsonIgnore
    public boolean isBaseline() {
        return BASELINE.equals(kind);
    }

    Experiment withCurve(boolean converted) {
        return new Experiment(name, folder, loop, kind, metrics, nonFinite, finishedAt, converted);
    }
}
