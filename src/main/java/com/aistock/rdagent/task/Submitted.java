package com.aistock.rdagent.task;

import java.util.List;

/** What a submission created: one task, or a batch when it fanned out over several datasets. */
public sealed interface Submitted permits Task, TaskBatch {

    /** The tasks created, in dataset order. */
    List<Task> created();
}
