package com.aistock.rdagent.run;

import java.util.Comparator;
import java.util.List;

/**
 * The metrics a user compares runs by: the best experiment (by {@code bestMetric}) and the last one.
 */
public record RunSummary(Experiment best, Experiment last, int experiments, String bestMetric) {

    static RunSummary of(List<Experiment> experiments, String bestMetric) {
        if (experiments.isEmpty()) {
            return null;
        }
        Experiment last = experiments.stream().max(Comparator.comparing(Experiment::finishedAt)).orElseThrow();
        Experiment best = experiments.stream()
                .filter(e -> e.metrics().containsKey(bestMetric))
                .max(Comparator.comparing((Experiment e) -> e.metrics().get(bestMetric)))
                .orElse(last);
        return new RunSummary(best, last, experiments.size(), bestMetric);
    }
}
