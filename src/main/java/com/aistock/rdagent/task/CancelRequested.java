package com.aistock.rdagent.task;

/** A running task on this node was asked to stop; whoever owns its process carries the stop out. */
public record CancelRequested(long taskId) {
}
