package com.aistock.rdagent.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.aistock.rdagent.task.Task;
import com.fasterxml.jackson.databind.JsonNode;

/** Which of a rule's events a task's end is: budget and quota stops and a metric threshold before the bare status. */
final class EventRouter {

    private EventRouter() {
    }

    /** The rule's event this finished task is, if any. */
    static Optional<String> finished(Rule rule, Task task) {
        List<String> candidates = new ArrayList<>();
        if ("budget".equals(task.stopReason())) {
            candidates.add(NotifyEvent.BUDGET_STOP);
        }
        if ("quota".equals(task.stopReason())) {
            candidates.add(NotifyEvent.QUOTA_REACHED);
        }
        if (reachesThreshold(rule, task)) {
            candidates.add(NotifyEvent.METRIC_THRESHOLD);
        }
        candidates.add("task_" + task.status().name().toLowerCase(Locale.ROOT));
        return candidates.stream().filter(rule::wants).findFirst();
    }

    /** The task's SOTA value of the rule's metric is at least its threshold. */
    static boolean reachesThreshold(Rule rule, Task task) {
        if (rule.metric() == null || rule.threshold() == null || task.metrics() == null) {
            return false;
        }
        JsonNode value = task.metrics().path("sota").path("values").path(rule.metric());
        return value.isNumber() && Double.isFinite(value.asDouble()) && value.asDouble() >= rule.threshold();
    }
}
