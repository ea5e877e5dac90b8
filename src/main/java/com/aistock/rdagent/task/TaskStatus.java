package com.aistock.rdagent.task;

public enum TaskStatus {
    PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT;

    public boolean isFinished() {
        return this != PENDING && this != RUNNING;
    }
}
