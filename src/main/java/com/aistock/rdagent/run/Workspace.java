package com.aistock.rdagent.run;

import java.nio.file.Path;

/** The folder a task runs in: {@code work/tasks/{id}/} (SPEC 5.3). */
public record Workspace(Path root) {

    public static Workspace of(Path workDir, long taskId) {
        return new Workspace(workDir.resolve("tasks").resolve(Long.toString(taskId)));
    }

    /** The managed .env plus the task's overrides; RD-Agent reads it from its working directory. */
    public Path env() {
        return root.resolve(".env");
    }

    public Path config() {
        return root.resolve("config");
    }

    public Path manifest() {
        return config().resolve("manifest.json");
    }

    /** A mirror of RD-Agent's package that puts this task's template snapshot first on PYTHONPATH. */
    public Path overlay() {
        return root.resolve("overlay");
    }

    /** {@code LOG_TRACE_PATH}: RD-Agent's trace pickles and {@code __session__} checkpoints. */
    public Path log() {
        return root.resolve("log");
    }

    /** {@code WORKSPACE_PATH}: one folder per experiment, holding {@code qlib_res.csv} and {@code ret.pkl}. */
    public Path ws() {
        return root.resolve("ws");
    }

    /** stdout and stderr of the run, appended by the OS. */
    public Path runLog() {
        return root.resolve("run.log");
    }

    /** How RD-Agent ended, written by the launcher (not the JVM), so it outlives a crash of the scheduler. */
    public Path exitFile() {
        return root.resolve("exit.json");
    }

    /** Which attempt was asked to wind down and why, once its SIGINT went out: a re-attach after a restart reads it. */
    public Path windDownFile() {
        return root.resolve("wind-down");
    }

    /** Touched at each renewal of the task's lease; the launcher stops a run whose lease went stale. */
    public Path leaseFile() {
        return root.resolve(".lease");
    }
}
