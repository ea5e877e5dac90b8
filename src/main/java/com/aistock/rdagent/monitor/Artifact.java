package com.aistock.rdagent.monitor;

/** One archived file of a task, by its path inside the archive. */
public record Artifact(String path, long size) {
}
