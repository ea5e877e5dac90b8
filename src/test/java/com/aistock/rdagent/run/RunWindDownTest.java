package com.aistock.rdagent.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run wound down by a spending limit (its one SIGINT sent) and then re-attached after a restart of the scheduler:
 * it still ends as wound down, for the reason it was given, and is not interrupted a second time. The record is the
 * workspace's, so only a re-attach of the same attempt reads it.
 */
class RunWindDownTest {

    @TempDir
    Path root;

    private RunRegistry.RunSpec spec(int attempt, boolean reattached) {
        return new RunRegistry.RunSpec(7, attempt, new Workspace(root), Map.of(), Set.of(), 3, null,
                reattached ? new RunRegistry.Attach(4242, 1) : null);
    }

    @Test
    void aReattachedRunKeepsItsWindDownAndIsNotInterruptedAgain() throws IOException {
        RunRegistry before = new RunRegistry();
        RunRegistry.ActiveRun running = before.register(spec(2, false));
        before.windDown(7, "budget");
        assertThat(running.windDownSent()).as("the executor has not signalled yet").isFalse();
        before.windDownSent(running);
        assertThat(Files.readString(new Workspace(root).windDownFile())).isEqualTo("2 budget");

        RunRegistry afterRestart = new RunRegistry();
        RunRegistry.ActiveRun reattached = afterRestart.register(spec(2, true));
        assertThat(reattached.windDownReason()).isEqualTo("budget");
        assertThat(reattached.windDownSent()).isTrue();
        afterRestart.windDown(7, "quota");
        assertThat(reattached.windDownReason()).as("the first reason stands").isEqualTo("budget");
    }

    @Test
    void anotherAttemptOrAFreshStartInTheSameWorkspaceIsNotWoundDown() throws IOException {
        Files.writeString(new Workspace(root).windDownFile(), "2 budget");

        RunRegistry.ActiveRun resumed = new RunRegistry().register(spec(3, true));
        assertThat(resumed.windDownReason()).isNull();
        assertThat(resumed.windDownSent()).isFalse();
        RunRegistry.ActiveRun started = new RunRegistry().register(spec(2, false));
        assertThat(started.windDownReason()).isNull();
    }
}
