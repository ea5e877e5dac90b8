package com.aistock.rdagent.notify;

import com.aistock.rdagent.task.Task;

/** Whether a task is within a rule's scope. */
final class RuleScope {

    private RuleScope() {
    }

    static boolean covers(Rule rule, Task task) {
        String value = rule.scopeValue();
        return switch (rule.scope()) {
            case "all" -> true;
            case "task" -> Long.toString(task.id()).equals(value);
            case "schedule" -> task.scheduleId() != null && task.scheduleId().toString().equals(value);
            case "batch" -> task.batchId() != null && task.batchId().toString().equals(value);
            case "mine" -> rule.owner().equals(task.operator());
            case "tag" -> taskHasTag(task, value);
            default -> false;
        };
    }

    static boolean taskHasTag(Task task, String tag) {
        return task.tags() != null && task.tags().contains(tag);
    }

    /** Schedule events have no task: a rule for all, or for that schedule, wants them. */
    static boolean coversSchedule(Rule rule, long scheduleId) {
        return rule.scope().equals("all") || rule.scope().equals("schedule") && Long.toString(scheduleId).equals(rule.scopeValue());
    }
}
