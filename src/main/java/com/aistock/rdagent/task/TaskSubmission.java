package com.aistock.rdagent.task;

/**
 * A request to create tasks as it reaches {@code direct:submit-task}, from the API, an inbox file, a schedule or
 * a rerun: the JSON body exactly as {@code POST /tasks} takes it (or, for a rerun, the task to repeat), and where
 * it came from.
 */
public record TaskSubmission(String body, String origin, String operator, Long scheduleId, Long rerunOf) {

    public TaskSubmission(String body, String origin, String operator, Long scheduleId) {
        this(body, origin, operator, scheduleId, null);
    }

    public static TaskSubmission rerun(long taskId, String operator) {
        return new TaskSubmission(null, "rerun", operator, null, taskId);
    }
}
