package com.aistock.rdagent.schedule;

import com.aistock.rdagent.system.ApiError;
import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.task.Submitted;
import com.aistock.rdagent.task.Task;
import com.aistock.rdagent.task.TaskSubmission;

/**
 * What one fire of a schedule does, as the {@code run-schedule} flow carries it: due to submit a task, then created,
 * skipped by the overlap policy, failed (its transaction rolled back), or nothing to do.
 */
public sealed interface FireOutcome {

    /** The submission this fire is due to make; null for every other outcome. */
    default TaskSubmission due() {
        return null;
    }

    /** Why the fire failed; null unless it did. */
    default Exception failure() {
        return null;
    }

    /** How the schedule's fire history records it ({@code created}, {@code skipped}, {@code failed}); null: not at all. */
    default String recordedAs() {
        return null;
    }

    default Long taskId() {
        return null;
    }

    default String reason() {
        return null;
    }

    /** What run-now answers: the created task or batch; a skip is a conflict; a failure is thrown as it came. */
    Submitted answer() throws Exception;

    record Due(TaskSubmission submission) implements FireOutcome {

        @Override
        public TaskSubmission due() {
            return submission;
        }

        @Override
        public Submitted answer() {
            throw new IllegalStateException("a fire is answered once it is made");
        }
    }

    record Created(Submitted tasks) implements FireOutcome {

        @Override
        public String recordedAs() {
            return "created";
        }

        @Override
        public Long taskId() {
            return tasks.created().get(0).id();
        }

        @Override
        public String reason() {
            Task first = tasks.created().get(0);
            return first.batchId() == null ? null
                    : "batch " + first.batchId() + " of " + tasks.created().size() + " tasks";
        }

        @Override
        public Submitted answer() {
            return tasks;
        }
    }

    record Skipped(String reason) implements FireOutcome {

        @Override
        public String recordedAs() {
            return "skipped";
        }

        @Override
        public Submitted answer() {
            throw ApiException.conflict("not run: " + reason + " (overlap policy skip)");
        }
    }

    record Failed(Exception cause) implements FireOutcome {

        @Override
        public Exception failure() {
            return cause;
        }

        @Override
        public String recordedAs() {
            return "failed";
        }

        @Override
        public String reason() {
            ApiException refused = ApiError.refusal(cause);
            return refused != null && refused.field() != null ? refused.field() + ": " + refused.getMessage()
                    : String.valueOf(cause.getMessage());
        }

        @Override
        public Submitted answer() throws Exception {
            throw cause;
        }
    }

    /** The schedule was deleted or paused after Quartz fired, or this cron time already fired. */
    record NothingToDo() implements FireOutcome {

        @Override
        public Submitted answer() {
            return null;
        }
    }
}
