package com.aistock.rdagent.run;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
 * task's hard timeout alike. Nothing of the group outlives the run.
 */
@Component("rdagentExecutor")
public class RdAgentExecutor implements ExecCommandExecutor {

    /** Exit value reported when a run was stopped before its process started. */
    public static final int NOT_STARTED = -1;
    private static final Logger log = LoggerFactory.getLogger(RdAgentExecutor.class);
    private static final long POLL_MILLIS = 100;

    private final RunRegistry registry;
    private final TaskStore tasks;
    private final SchedulerProperties.Run settings;

    public RdAgentExecutor(RunRegistry registry, TaskStore tasks, SchedulerProperties properties) {
        this.registry = registry;
        this.tasks = tasks;
        this.settings = properties.run();
    }

    @Override
    public ExecResult execute(ExecCommand command) throws IOException {
        RunRegistry.ActiveRun run = registry.forWorkspace(Path.of(command.getWorkingDir()));
        long taskId = run.spec().taskId();
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
        tasks.recordProcess(taskId, pgid);
        log.info("Task {} started: pid {} {}", taskId, pgid, argv);
        try {
            waitOrStop(run, process, pgid, Duration.ofMillis(command.getTimeout()));
        } catch (InterruptedException e) {
            // the JVM is going down: take the run with it rather than leave an orphan group
            ProcessGroups.signal(pgid, "KILL");
            process.onExit().join();
            Thread.currentThread().interrupt();
        } finally {
            ProcessGroups.killRemaining(pgid, Duration.ofSeconds(30));
        }
        int exitValue = process.exitValue();
        log.info("Task {} exited with {}{}", taskId, exitValue,
                run.stopStatus() == null ? "" : " after a stop (" + run.stopStatus() + ")");
        return new ExecResult(command, null, null, exitValue);
    }

    private void waitOrStop(RunRegistry.ActiveRun run, Process process, long pgid, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
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
    private void stop(Process process, long pgid) throws InterruptedException {
        ProcessGroups.signal(pgid, "INT");
        if (process.waitFor(settings.secondInterruptAfter().toMillis(), TimeUnit.MILLISECONDS)) {
            return;
        }
        ProcessGroups.signal(pgid, "INT");
        if (process.waitFor(settings.stopGrace().toMillis(), TimeUnit.MILLISECONDS)) {
            return;
        }
        ProcessGroups.signal(pgid, "KILL");
        process.waitFor();
    }
}
