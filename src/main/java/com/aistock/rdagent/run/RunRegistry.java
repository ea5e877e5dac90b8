package com.aistock.rdagent.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.aistock.rdagent.task.CancelRequested;
import com.aistock.rdagent.task.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The runs of this node, by task and by workspace. Camel's {@code ExecCommand} carries no environment and no
 * exchange, so the prepare step leaves each run's spec here and the executor finds it by working directory.
 */
@Component
public class RunRegistry {

    private static final Logger log = LoggerFactory.getLogger(RunRegistry.class);

    /**
     * What the executor needs beyond the command line; never put on the command line, where ps shows it.
     *
     * @param attempt the task's attempt this run is: every state change it makes names it
     * @param attach  set when this node restarted while the run went on: the executor watches that process group
     *                instead of starting one
     */
    public record RunSpec(long taskId, int attempt, Workspace workspace, Map<String, String> environment,
                          Set<String> unsetEnvironment, Integer loopN, String allDuration, Attach attach) {
    }

    /** A run's process group leader, named for good by its pid and start time. */
    public record Attach(long pid, long started) {
    }

    public static final class ActiveRun {
        private final RunSpec spec;
        private volatile TaskStatus stopStatus;
        private volatile boolean byShutdown;
        private volatile boolean fenced;
        private volatile Long pid;
        private volatile long pidStarted;
        private volatile boolean recorded;
        private volatile OffsetDateTime startedAt;
        private volatile ExitStatus exit;
        private volatile String windDownReason;
        private volatile boolean windDownSent;

        ActiveRun(RunSpec spec) {
            this.spec = spec;
        }

        public RunSpec spec() {
            return spec;
        }

        /** CANCELLED (by a user or a shutdown), TIMED_OUT or FAILED (fencing) once a stop was asked for; null while it may go on. */
        public TaskStatus stopStatus() {
            return stopStatus;
        }

        /**
         * Why the run was asked to wind down (one SIGINT: RD-Agent finishes its step and stops; its results count as
         * a finished run's), e.g. {@code budget}; null when nobody asked.
         */
        public String windDownReason() {
            return windDownReason;
        }

        synchronized void windDown(String reason) {
            if (windDownReason == null) {
                windDownReason = reason;
            }
        }

        /** Its one SIGINT went out, perhaps before a restart: a re-attached run is not interrupted again. */
        public boolean windDownSent() {
            return windDownSent;
        }

        /** The stop came from this service shutting down, not from a user or the task's timeout. */
        public boolean stoppedByShutdown() {
            return byShutdown;
        }

        synchronized void requestStop(TaskStatus status) {
            if (stopStatus == null) {
                stopStatus = status;
            }
        }

        synchronized void stopForShutdown() {
            if (stopStatus == null) {
                stopStatus = TaskStatus.CANCELLED;
                byShutdown = true;
            }
        }

        /** The task is no longer this attempt's (taken over, or its lease ran out): stop, and record no outcome. */
        void fence() {
            fenced = true;
            requestStop(TaskStatus.FAILED);
        }

        public boolean fenced() {
            return fenced || exit != null && exit.fenced();
        }

        public Long pid() {
            return pid;
        }

        long pidStarted() {
            return pidStarted;
        }

        void started(long pid, long pidStarted) {
            this.pid = pid;
            this.pidStarted = pidStarted;
            this.startedAt = OffsetDateTime.now();
        }

        /** Whether the process is on record (task pid and attempt row); a database outage can delay that. */
        boolean recorded() {
            return recorded;
        }

        void recorded(boolean recorded) {
            this.recorded = recorded;
        }

        public OffsetDateTime startedAt() {
            return startedAt;
        }

        /** What the launcher wrote when RD-Agent ended; null when it could not (killed with the group). */
        public ExitStatus exit() {
            return exit;
        }

        void ended(ExitStatus exit) {
            this.exit = exit;
        }
    }

    private final Map<Long, ActiveRun> byTask = new ConcurrentHashMap<>();
    private final Map<Path, ActiveRun> byWorkspace = new ConcurrentHashMap<>();
    /** Cancels that arrived between the claim and the registration of the run. */
    private final Set<Long> earlyStops = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    public ActiveRun register(RunSpec spec) {
        ActiveRun run = new ActiveRun(spec);
        if (spec.attach() != null) {
            restoreWindDown(run);
        }
        byTask.put(spec.taskId(), run);
        byWorkspace.put(spec.workspace().root(), run);
        if (earlyStops.remove(spec.taskId())) {
            run.requestStop(TaskStatus.CANCELLED);
        }
        if (closing) {
            run.stopForShutdown();
        }
        return run;
    }

    public ActiveRun forWorkspace(Path workingDir) {
        ActiveRun run = byWorkspace.get(workingDir.toAbsolutePath().normalize());
        if (run == null) {
            throw new IllegalStateException("No prepared run for working directory " + workingDir);
        }
        return run;
    }

    public ActiveRun forTask(long taskId) {
        return byTask.get(taskId);
    }

    /** Asks the run to stop; the executor thread that owns the process carries it out. */
    public void requestStop(long taskId, TaskStatus status) {
        ActiveRun run = byTask.get(taskId);
        if (run != null) {
            run.requestStop(status);
        } else {
            earlyStops.add(taskId);
        }
    }

    /** Asks a run of this node to finish its step and stop (a spending limit); nothing when it is not here. */
    /**
     * Records that the run's wind-down SIGINT went out, in its workspace as well: after a restart the run still ends
     * as wound down (its results count, stop_reason says why) and is not interrupted a second time.
     */
    public void windDownSent(ActiveRun run) {
        run.windDownSent = true;
        try {
            Files.writeString(run.spec.workspace().windDownFile(), run.spec.attempt() + " " + run.windDownReason);
        } catch (IOException e) {
            log.warn("Task {}: cannot record its wind-down ({}); a restart meanwhile would forget it",
                    run.spec.taskId(), e.getMessage());
        }
    }

    private static void restoreWindDown(ActiveRun run) {
        try {
            String[] recorded = Files.readString(run.spec.workspace().windDownFile()).split(" ", 2);
            if (recorded.length == 2 && recorded[0].equals(Integer.toString(run.spec.attempt()))) {
                run.windDown(recorded[1]);
                run.windDownSent = true;
            }
        } catch (NoSuchFileException e) {
            // never wound down
        } catch (IOException e) {
            log.warn("Task {}: cannot read its wind-down ({})", run.spec.taskId(), e.getMessage());
        }
    }

    public void windDown(long taskId, String reason) {
        ActiveRun run = byTask.get(taskId);
        if (run != null) {
            run.windDown(reason);
        }
    }

    @EventListener
    public void cancelRequested(CancelRequested cancel) {
        requestStop(cancel.taskId(), TaskStatus.CANCELLED);
    }

    /**
     * A stopping scheduler takes its runs down (SIGINT, SIGINT, SIGKILL) rather than leave them running unwatched;
     * they end CANCELLED, ready to resume, and are archived before the database stops.
     */
    @EventListener(ContextClosedEvent.class)
    public void stopAll() {
        closing = true;
        byTask.values().forEach(ActiveRun::stopForShutdown);
    }

    public List<Long> activeTaskIds() {
        return List.copyOf(byTask.keySet());
    }

    public List<ActiveRun> activeRuns() {
        return List.copyOf(byTask.values());
    }

    /** Stops a run whose task is no longer its attempt's: it records no outcome. */
    public void fence(long taskId) {
        ActiveRun run = byTask.get(taskId);
        if (run != null) {
            run.fence();
        }
    }

    /**
     * Waits until an earlier attempt of the task, fenced on this node, has let go of it (it shares the workspace):
     * it is stopping already, so this is the stop path at most.
     */
    public void awaitGone(long taskId, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (byTask.containsKey(taskId)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("An earlier attempt of task " + taskId + " is still winding down");
            }
            Thread.sleep(100);
        }
    }

    public void remove(long taskId) {
        ActiveRun run = byTask.remove(taskId);
        if (run != null) {
            byWorkspace.remove(run.spec().workspace().root());
        }
        earlyStops.remove(taskId);
    }
}
