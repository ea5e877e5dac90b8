package com.aistock.rdagent.task;

/**
 * A task has spent 80 % of its budget (published as a Spring application event by the spend tracking; the
 * notifications turn it into {@code budget_warning} messages).
 */
public record SpendWarning(long taskId, double costUsd, double limitUsd) {
}
