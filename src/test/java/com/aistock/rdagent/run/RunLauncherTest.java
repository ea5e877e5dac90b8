package com.aistock.rdagent.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.aistock.rdagent.support.ProcessTable;
import com.aistock.rdagent.system.SchedulerProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bundled launcher, run for real under setsid: it leads the group, records RD-Agent's exit code or signal in
 * exit.json whatever becomes of the JVM, and stops a run whose lease file goes stale the way the scheduler would.
 */
class RunLauncherTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    @TempDir
    Path base;

    @Test
    void theExitCodeOfTheCommandIsRecordedAndReturned() throws Exception {
        Workspace workspace = workspace();
        RunLauncher launcher = launcher(Duration.ofMinutes(3));

        Process process = start(launcher, workspace, "/bin/sh", "-c", "echo \"args: $*\"; exit 3", "sh", "--loop-n", "2");

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(3);
        ExitStatus status = launcher.exitStatus(workspace, process.pid()).orElseThrow();
        assertThat(status.exitCode()).isEqualTo(3);
        assertThat(status.signal()).isNull();
        assertThat(status.fenced()).isFalse();
        assertThat(status.endedAt()).isNotNull();
        assertThat(Files.readString(workspace.runLog())).isEqualTo("args: --loop-n 2\n");
        assertThat(launcher.exitStatus(workspace, process.pid() + 1)).as("another attempt's group").isEmpty();
    }

    @Test
    void aSignalOfTheWholeGroupIsRecordedAsTheCommandsSignal() throws Exception {
        Workspace workspace = workspace();
        RunLauncher launcher = launcher(Duration.ofMinutes(3));
        Process process = start(launcher, workspace, "/bin/sh", "-c", "echo started; exec sleep 60");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(workspace.runLog()).contains("started"));

        ProcessGroups.signal(process.pid(), "TERM");

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        ExitStatus status = launcher.exitStatus(workspace, process.pid()).orElseThrow();
        assertThat(status.signal()).isEqualTo(15);
        assertThat(status.exitCode()).isEqualTo(143);
        assertThat(process.exitValue()).isEqualTo(143);
    }

    @Test
    void whenRdAgentEndsNothingOfItsGroupIsLeft() throws Exception {
        Workspace workspace = workspace();
        RunLauncher launcher = launcher(Duration.ofMinutes(3));
        // a grandchild that outlives RD-Agent and ignores SIGINT, as qrun children can
        Process process = start(launcher, workspace, "/bin/sh", "-c",
                "(trap '' INT; exec sleep 600) & echo \"grandchild $!\"; sleep 1; exit 0");

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(launcher.exitStatus(workspace, process.pid()).orElseThrow().exitCode()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessTable.groupMembers(process.pid()).isEmpty());
    }

    @Test
    void aRunWhoseLeaseIsNotRenewedStopsItselfTheWayTheSchedulerWould() throws Exception {
        Workspace workspace = workspace();
        RunLauncher launcher = launcher(Duration.ofSeconds(2));
        Process process = start(launcher, workspace, "/bin/sh", "-c",
                "trap 'echo first interrupt' INT; echo started; while :; do sleep 0.2; done");

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        ExitStatus status = launcher.exitStatus(workspace, process.pid()).orElseThrow();
        assertThat(status.fenced()).isTrue();
        assertThat(status.signal()).as("SIGINT was ignored: SIGKILL after the grace").isEqualTo(9);
        assertThat(Files.readString(workspace.runLog()))
                .contains("first interrupt")
                .contains("rdagent-launcher: lease not renewed for 2 s: stopping the run");
        assertThat(ProcessTable.groupMembers(process.pid())).isEmpty();
    }

    @Test
    void aRenewedLeaseKeepsTheRunGoing() throws Exception {
        Workspace workspace = workspace();
        RunLauncher launcher = launcher(Duration.ofSeconds(2));
        Process process = start(launcher, workspace, "/bin/sh", "-c", "sleep 5; exit 0");
        while (!process.waitFor(500, TimeUnit.MILLISECONDS)) {
            launcher.renew(workspace);
        }

        ExitStatus status = launcher.exitStatus(workspace, process.pid()).orElseThrow();
        assertThat(status.fenced()).isFalse();
        assertThat(status.exitCode()).isZero();
    }

    @Test
    void aCommandThatCannotStartIsRecordedAs127() throws Exception {
        Workspace workspace = workspace();
        RunLauncher launcher = launcher(Duration.ofMinutes(3));

        Process process = start(launcher, workspace, base.resolve("no-such-rdagent").toString());

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(launcher.exitStatus(workspace, process.pid()).orElseThrow().exitCode()).isEqualTo(127);
        assertThat(Files.readString(workspace.runLog())).contains("cannot run").contains("no-such-rdagent");
    }

    private Workspace workspace() throws IOException {
        return new Workspace(Files.createDirectories(base.resolve("work/tasks/1")));
    }

    private Process start(RunLauncher launcher, Workspace workspace, String executable, String... args)
            throws IOException {
        launcher.prepare(workspace);
        return new ProcessBuilder(launcher.command(workspace, executable, List.of(args)))
                .directory(workspace.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workspace.runLog().toFile()))
                .start();
    }

    private RunLauncher launcher(Duration fenceAfter) {
        SchedulerProperties properties = new SchedulerProperties(base.toString(), "history", "inbox", "outbox", "work",
                "data", new SchedulerProperties.Node("test-node", Set.of("worker"), Duration.ofSeconds(60), fenceAfter,
                Duration.ofSeconds(30)), null,
                new SchedulerProperties.Run(Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
                        Duration.ofSeconds(10)),
                new SchedulerProperties.RdAgent(null, "rdagent", "/usr/bin/python3", null));
        return new RunLauncher(properties, JSON);
    }
}
