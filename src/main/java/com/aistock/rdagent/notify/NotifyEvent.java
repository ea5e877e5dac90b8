package com.aistock.rdagent.notify;

import java.util.List;

/** The events a rule can name, and what a rule's scope can be. */
final class NotifyEvent {

    static final List<String> TASK_STATUSES = List.of("task_succeeded", "task_failed", "task_timed_out", "task_cancelled");
    static final String BUDGET_WARNING = "budget_warning";
    static final String BUDGET_STOP = "budget_stop";
    static final String QUOTA_REACHED = "quota_reached";
    static final String STALLED = "stalled";
    static final String SCHEDULE_FAILED = "schedule_failed";
    static final String SCHEDULE_SKIPPED = "schedule_skipped";
    static final String METRIC_THRESHOLD = "metric_threshold";
    static final String DIGEST = "digest";
    static final List<String> ALL = List.of("task_succeeded", "task_failed", "task_timed_out", "task_cancelled",
            BUDGET_WARNING, BUDGET_STOP, QUOTA_REACHED, STALLED, SCHEDULE_FAILED, SCHEDULE_SKIPPED, METRIC_THRESHOLD, DIGEST);
    static final List<String> SCOPES = List.of("all", "task", "schedule", "batch", "tag", "mine");

    private NotifyEvent() {
    }
}
