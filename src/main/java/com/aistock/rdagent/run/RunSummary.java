package com.aistock.rdagent.run;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.aistock.rdagent.task.Metric;

/**
 * The three results a task is judged by, each naming its loop, experiment and decision: {@code sota}, the last
 * experiment RD-Agent accepted (its own notion of the state of the art); {@code best}, the accepted experiment
 * with the highest {@code rank_by} metric; {@code last}, the latest experiment whatever became of it. A rejected
 * or baseline experiment, or one with a NaN or infinite headline metric, is never {@code sota} or {@code best}.
 */
public record RunSummary(Result sota, Result best, Result last, String rankBy, int experiments) {

    /**
     * One experiment as a named result.
     *
     * @param values the seven headline metrics by their API names; null where absent or not finite
     */
    public record Result(Integer loop, String experiment, String kind, Boolean decision, Map<String, Double> values,
                         List<String> nonFinite, Instant finishedAt) {

        static Result of(Experiment experiment, Boolean decision) {
            Map<String, Double> values = new LinkedHashMap<>();
            for (Metric metric : Metric.values()) {
                values.put(metric.key(), experiment.metrics().get(metric.qlibName()));
            }
            return new Result(experiment.loop(), experiment.name(), experiment.kind(), decision, values,
                    experiment.invalidMetrics(), experiment.finishedAt());
        }
    }

    /**
     * @param decisions RD-Agent's decision per loop, as its feedback said (absent: not decided yet)
     */
    public static RunSummary of(List<Experiment> experiments, Map<Integer, Boolean> decisions, Metric rankBy) {
        if (experiments.isEmpty()) {
            return null;
        }
        Comparator<Experiment> inOrder = Comparator
                .comparing((Experiment e) -> e.loop() == null ? -1 : e.loop())
                .thenComparing(Experiment::finishedAt);
        List<Experiment> accepted = experiments.stream()
                .filter(e -> !e.isBaseline() && e.loop() != null && Boolean.TRUE.equals(decisions.get(e.loop())))
                .filter(Experiment::isFinite)
                .toList();
        Experiment sota = accepted.stream().max(inOrder).orElse(null);
        Experiment best = accepted.stream()
                .filter(e -> e.metrics().containsKey(rankBy.qlibName()))
                .max(Comparator.comparing((Experiment e) -> e.metrics().get(rankBy.qlibName())).thenComparing(inOrder))
                .orElse(null);
        Experiment last = experiments.stream().filter(e -> !e.isBaseline())
                .max(Comparator.comparing(Experiment::finishedAt)).orElse(null);
        return new RunSummary(result(sota, decisions), result(best, decisions), result(last, decisions), rankBy.key(),
                experiments.size());
    }

    private static Result result(Experiment experiment, Map<Integer, Boolean> decisions) {
        if (experiment == null) {
            return null;
        }
        Boolean decision = experiment.isBaseline() || experiment.loop() == null ? null : decisions.get(experiment.loop());
        return Result.of(experiment, decision);
    }
}
