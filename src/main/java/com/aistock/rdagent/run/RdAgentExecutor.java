package com.aistock.rdagent.run;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
 * {@code setsid}, and can stop it: SIGINT, a second SIGINT, then SIGKILL of the whole group, for a cancel or the
 * task's hard timeout alike. Nothing of the group outlives the run. After a restart of this node it watches a
 * run that went on without it the same way.
 */
@Component("rdagentExecutor")
public class RdAgentExecutor implements ExecCommandExecutor {

    /** Exit value reported when a run was stopped before its process started. */
    public static final int NOT_STARTED = -1;
    /** Exit value of a re-attached run: not our child, so its exit code cannot be known. */
    public static final int UNKNOWN_EXIT = -2;
    private static final Logger log = LoggerFactory.getLogger(RdAgentExecutor.class);
    private static final long POLL_MILLIS = 100;

    private final RunRegistry registry;
    private final TaskStore tasks;
    private final AttemptStore attempts;
    private final SchedulerProperties.Run settings;
    private final String node;

    public RdAgentExecutor(RunRegistry registry, TaskStore tasks, AttemptStore attempts, SchedulerProperties properties) {
        this.registry = registry;
        this.tasks = tasks;
        this.attempts = attempts;
        this.settings = properties.run();
        this.node = properties.nodeId();
    }

    @Override
    public ExecResult execute(ExecCommand command) throws IOException {
        RunRegistry.ActiveRun run = registry.forWorkspace(Path.of(command.getWorkingDir()));
        Duration timeout = Duration.ofMillis(command.getTimeout());
        if (run.spec().attachPid() != null) {
            return attach(command, run, timeout);
        }
        if (run.stopStatus() != null) {
            return new ExecResult(command, null, null, NOT_STARTED);
        }
        List<String> argv = new ArrayList<>();
        argv.add("setsid");
        argv.add(command.getExecutable());
        argv.addAll(command.getArgs());
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(new File(command.getWorkingDir()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(command.getOutFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(run.spec().environment());
        run.spec().unsetEnvironment().forEach(builder.environment()::remove);

        Process process = builder.start();
        // setsid execs in place (a spawned child is no group leader), so the pid is the process group id
        long pgid = process.pid();
        run.started(pgid);
        record(run.spec().taskId(), pgid);
        log.info("Task {} started: pid {} {}", run.spec().taskId(), pgid, argv);
        watch(run, process.toHandle(), pgid, timeout);
        // the handle can see the exit before the Process has collected its status (exitValue() would throw)
        int exitValue = process.onExit().join().exitValue();
        log.info("Task {} exited with {}{}", run.spec().taskId(), exitValue,
                run.stopStatus() == null ? "" : " after a stop (" + run.stopStatus() + ")");
        return new ExecResult(command, null, null, exitValue);
    }

    private ExecResult attach(ExecCommand command, RunRegistry.ActiveRun run, Duration timeout) {
        long pgid = run.spec().attachPid();
        run.started(pgid);
        log.info("Task {} re-attached to process group {}", run.spec().taskId(), pgid);
        ProcessHandle.of(pgid).ifPresentOrElse(handle -> watch(run, handle, pgid, timeout),
                () -> ProcessGroups.killRemaining(pgid, Duration.ofSeconds(30)));
        return new ExecResult(command, null, null, UNKNOWN_EXIT);
    }

    /** Waits for the run to end, stopping it on request or at its deadline; then nothing of its group is left. */
    private void watch(RunRegistry.ActiveRun run, ProcessHandle process, long pgid, Duration timeout) {
        try {
            waitOrStop(run, process, pgid, timeout);
        } catch (InterruptedException e) {
            // the JVM is going down: take the run with it rather than leave an orphan group
            ProcessGroups.signal(pgid, "KILL");
            process.onExit().join();
            Thread.currentThread().interrupt();
        } finally {
            ProcessGroups.killRemaining(pgid, Duration.ofSeconds(30));
        }
    }

    /** The pid and its start time identify the run for a restarted node; a database outage must not stop it. */
    private void record(long taskId, long pid) {
        long started = ProcessStart.of(pid).orElse(0);
        try {
            tasks.recordProcess(taskId, pid, started);
            attempts.attemptStarted(taskId, node, pid, started);
        } catch (RuntimeException e) {
            log.warn("Task {}: cannot record pid {} now ({}); the run goes on", taskId, pid, e.getMessage());
        }
    }

    private void waitOrStop(RunRegistry.ActiveRun run, ProcessHandle process, long pgid, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!exited(process, POLL_MILLIS)) {
            if (System.nanoTime() - deadline > 0) {
                run.requestStop(TaskStatus.TIMED_OUT);
            }
            if (run.stopStatus() != null) {
                log.info("Stopping task {} ({})", run.spec().taskId(), run.stopStatus());
                stop(process, pgid);
                return;
            }
        }
    }

    /** RD-Agent finishes its step on the first SIGINT and aborts on the second; SIGKILL is the last resort. */
    private void stop(ProcessHandle process, long pgid) throws InterruptedException {
        ProcessGroups.signal(pgid, "INT");
        if (exited(process, settings.secondInterruptAfter().toMillis())) {
            return;
        }
        ProcessGroups.signal(pgid, "INT");
        if (exited(process, settings.stopGrace().toMillis())) {
            return;
        }
        ProcessGroups.signal(pgid, "KILL");
        process.onExit().join();
    }

    private static boolean exited(ProcessHandle process, long millis) throws InterruptedException {
        try {
            process.onExit().get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        }
    }
}
