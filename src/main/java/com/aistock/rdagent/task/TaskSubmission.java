package com.aistock.rdagent.task;

/**
 * A request to create tasks as it reaches {@code direct:submit-task}, from the API, an inbox file, a schedule or
 * a rerun: the JSON body exactly as {@code POST /tasks} takes it, and where it came from.
 */
public record TaskSubmission(String body, String origin, String operator, Long scheduleId) {
}
