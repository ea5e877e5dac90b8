package com.aistock.rdagent.run;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.aistock.rdagent.system.SchedulerProperties;
import com.aistock.rdagent.task.TaskStatus;
import com.aistock.rdagent.task.TaskStore;
import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.ExecCommandExecutor;
import org.apache.camel.component.exec.ExecResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs RD-Agent for the {@code exec:} endpoint (SPEC 5.4). Unlike Camel's default executor it never holds output
 * in memory (the OS appends stdout and stderr to {@code run.log}), starts the run in its own process group with
 * {@code setsid} under the bundled {@link RunLauncher}, which records the exit status in the workspace, and can
 * stop it: SIGINT, a second SIGINT, then SIGKILL of the whole group, for a cancel, the task's hard timeout or
 * fencing alike. Nothing of the group outlives the run, nor do Docker containers it left. After a restart of this
 * node it watches a run that went on without it the same way, or reads how it ended while the node was down.
 */
@Component("rdagentExecutor")
public class RdAgentExecutor implements ExecCommandExecutor {

    /** Exit value reported when a run was stopped before its process started. */
    public static final int NOT_STARTED = -1;
    /** Exit value of a re-attached run whose launcher left no exit status: not our child, so it cannot be known. */
    public static final int UNKNOWN_EXIT = -2;
    private static final Logger log = LoggerFactory.getLogger(RdAgentExecutor.class);
    private static final long POLL_MILLIS = 100;

    private final RunRegistry registry;
    private final TaskStore tasks;
    private final AttemptStore attempts;
    private final RunLauncher launcher;
    private final DockerLeftovers docker;
    private final SchedulerProperties.Run settings;
    private final String node;

    public RdAgentExecutor(RunRegistry registry, TaskStore tasks, AttemptStore attempts, RunLauncher launcher,
                           DockerLeftovers docker, SchedulerProperties properties) {
        this.registry = registry;
        this.tasks = tasks;
        this.attempts = attempts;
        this.launcher = launcher;
        this.docker = docker;
        this.settings = properties.run();
        this.node = properties.nodeId();
    }

    @Override
    public ExecResult execute(ExecCommand command) throws IOException {
        RunRegistry.ActiveRun run = registry.forWorkspace(Path.of(command.getWorkingDir()));
        Duration timeout = Duration.ofMillis(command.getTimeout());
        if (run.spec().attach() != null) {
            return attach(command, run, timeout);
        }
        if (run.stopStatus() != null) {
            return new ExecResult(command, null, null, NOT_STARTED);
        }
        Workspace workspace = run.spec().workspace();
        List<String> argv = launcher.command(workspace, command.getExecutable(), command.getArgs());
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(new File(command.getWorkingDir()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(command.getOutFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(run.spec().environment());
        run.spec().unsetEnvironment().forEach(builder.environment()::remove);

        launcher.prepare(workspace);
        Process process = builder.start();
        // setsid execs in place (a spawned child is no group leader), so the launcher's pid is the process group id
        long pgid = process.pid();
        run.started(pgid, ProcessStart.of(pgid).orElse(0));
        record(run);
        log.info("Task {} attempt {} started: pid {} {}", run.spec().taskId(), run.spec().attempt(), pgid, argv);
        watch(run, process.toHandle(), timeout);
        // the handle can see the exit before the Process has collected its status (exitValue() would throw)
        int exitValue = process.onExit().join().exitValue();
        return ended(command, run, pgid, exitValue);
    }

    private ExecResult attach(ExecCommand command, RunRegistry.ActiveRun run, Duration timeout) {
        RunRegistry.Attach leader = run.spec().attach();
        run.started(leader.pid(), leader.started());
        run.recorded(true);
        Optional<ProcessHandle> handle = ProcessStart.alive(leader.pid(), leader.started())
                ? ProcessHandle.of(leader.pid()) : Optional.empty();
        if (handle.isPresent()) {
            log.info("Task {} re-attached to process group {}", run.spec().taskId(), leader.pid());
            watch(run, handle.get(), timeout);
        } else {
            log.info("Task {} ended while this node was down", run.spec().taskId());
            groupGone(run);
        }
        return ended(command, run, leader.pid(), UNKNOWN_EXIT);
    }

    /** The exit status the launcher recorded wins over what the JVM saw (a re-attached run is not our child). */
    private ExecResult ended(ExecCommand command, RunRegistry.ActiveRun run, long pgid, int seen) {
        Optional<ExitStatus> status = launcher.exitStatus(run.spec().workspace(), pgid);
        status.ifPresent(run::ended);
        int exitValue = status.map(ExitStatus::exitCode).orElse(seen);
        log.info("Task {} exited with {}{}{}", run.spec().taskId(), exitValue,
                run.stopStatus() == null ? "" : " after a stop (" + run.stopStatus() + ")",
                run.fenced() ? ", fenced" : "");
        return new ExecResult(command, null, null, exitValue);
    }

    /** Waits for the run to end, stopping it on request or at its deadline; then nothing of its group is left. */
    private void watch(RunRegistry.ActiveRun run, ProcessHandle process, Duration timeout) {
        try {
            waitOrStop(run, process, timeout);
        } catch (InterruptedException e) {
            // the JVM is going down: take the run with it rather than leave an orphan group
            ProcessGroups.signal(process.pid(), "KILL");
            process.onExit().join();
            Thread.currentThread().interrupt();
        } finally {
            groupGone(run);
        }
    }

    /** Whatever is left of the group is killed, and the Docker containers it started are removed. */
    private void groupGone(RunRegistry.ActiveRun run) {
        ProcessGroups.killRemaining(run.pid(), run.pidStarted(), Duration.ofSeconds(30));
        docker.removeFor(run.spec().workspace().root());
    }

    /**
     * The pid and its start time identify the run for a restarted node; a database outage must not stop it (the
     * heartbeat records it later). Nothing is recorded for an attempt the task has moved on from. The worker
     * thread and the heartbeat may both try at once: one records, the other finds it done.
     */
    void record(RunRegistry.ActiveRun run) {
        long taskId = run.spec().taskId();
        synchronized (run) {
            if (run.recorded()) {
                return;
            }
            try {
                tasks.recordProcess(taskId, run.spec().attempt(), node, run.pid(), run.pidStarted());
                attempts.attemptStarted(taskId, run.spec().attempt(), node, run.pid(), run.pidStarted(),
                        PidSpace.current());
                run.recorded(true);
            } catch (RuntimeException e) {
                log.warn("Task {}: cannot record pid {} now ({}); the run goes on", taskId, run.pid(),
                        e.getMessage());
            }
        }
    }

    private void waitOrStop(RunRegistry.ActiveRun run, ProcessHandle process, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ProcessGroups.exited(process, POLL_MILLIS)) {
            if (!run.windDownSent() && run.windDownReason() != null) {
                // one SIGINT: RD-Agent finishes the step it is in and stops; a cancel or the timeout may still follow
                log.info("Winding task {} down ({})", run.spec().taskId(), run.windDownReason());
                ProcessGroups.signal(process.pid(), "INT");
                registry.windDownSent(run);
            }
            if (System.nanoTime() - deadline > 0) {
                run.requestStop(TaskStatus.TIMED_OUT);
            }
            if (run.stopStatus() != null) {
                log.info("Stopping task {} ({}{})", run.spec().taskId(), run.stopStatus(),
                        run.fenced() ? ", fenced" : "");
                ProcessGroups.stop(process, settings.secondInterruptAfter(), settings.stopGrace());
                return;
            }
        }
    }
}
