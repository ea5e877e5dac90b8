package com.aistock.rdagent.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.aistock.rdagent.system.FreeSpace;
import com.aistock.rdagent.system.SchedulerProperties;
import com.aistock.rdagent.task.Metric;
import com.aistock.rdagent.task.Task;
import com.aistock.rdagent.task.TaskStatus;
import com.aistock.rdagent.task.TaskStore;
import org.apache.camel.Header;
import org.apache.camel.component.exec.ExecBinding;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Reads what a run left behind and decides its status (SPEC 5.2): success needs exit code 0 <em>and</em> at
 * least one {@code qlib_res.csv} whose headline metrics are finite; a stop asked for by a user or the hard timeout
 * wins over whatever the process did. A run stopped because the service shut down is CANCELLED (stop reason
 * {@code shutdown}: it can resume), unless it had ended with exit code 0 and results anyway. The experiments come
 * from the run's live {@link RunReading}, finished.
 */
@Component("resultCollector")
public class ResultCollector {

    private final RunRegistry registry;
    private final RunReadings readings;
    private final LoopStore loops;
    private final TaskStore tasks;
    private final Metric defaultRanking;
    private final FreeSpace space;
    private final LoopRebuild loopRebuild;
    private final AttemptStore attempts;
    private final String node;

    public ResultCollector(RunRegistry registry, RunReadings readings, LoopStore loops, TaskStore tasks, FreeSpace space,
                           LoopRebuild loopRebuild, AttemptStore attempts, SchedulerProperties properties,
                           @Value("${scheduler.results.rank-by}") String rankBy) {
        this.registry = registry;
        this.readings = readings;
        this.loops = loops;
        this.tasks = tasks;
        this.defaultRanking = Metric.byKey(rankBy).orElseThrow(() -> new IllegalArgumentException(
                "scheduler.results.rank-by must be one of " + Metric.keys() + ", not " + rankBy));
        this.space = space;
        this.loopRebuild = loopRebuild;
        this.attempts = attempts;
        this.node = properties.nodeId();
    }

    public RunReport collect(@Header(WorkspacePreparer.TASK_ID) long taskId,
                             @Header(ExecBinding.EXEC_EXIT_VALUE) Integer exitValue) throws IOException {
        RunRegistry.ActiveRun run = registry.forTask(taskId);
        Workspace workspace = run.spec().workspace();
        int attempt = run.spec().attempt();
        List<Experiment> experiments = readings.of(taskId, workspace).finish();
        // a fenced attempt, or one whose task moved on meanwhile, leaves the task, its loops and the outbox alone
        boolean fenced = run.fenced() || !attempts.holds(taskId, attempt, node);
        if (!fenced) {
            loopRebuild.rebuild(taskId, workspace.runLog(), experiments);
        }
        RunLogTail tail = RunLogTail.read(workspace.runLog());
        boolean exitUnknown = exitValue != null && exitValue == RdAgentExecutor.UNKNOWN_EXIT;
        Integer exitCode = exitValue == null || exitValue < 0 ? null : exitValue;
        TaskStatus stopStatus = run.stopStatus();

        TaskStatus status;
        String stopReason = tail.stopReason();
        String error = null;
        boolean succeeded = exitCode != null && exitCode == 0 && experiments.stream().anyMatch(Experiment::isFinite);
        if (fenced) {
            status = TaskStatus.FAILED;
            stopReason = "fenced";
            error = "stopped: this node could not renew the task's lease";
        } else if (run.stoppedByShutdown() && !succeeded) {
            // stopped because this service stopped: resumable from RD-Agent's checkpoint, and no failure of the run
            status = TaskStatus.CANCELLED;
            stopReason = "shutdown";
        } else if (stopStatus == TaskStatus.CANCELLED && !run.stoppedByShutdown()) {
            status = TaskStatus.CANCELLED;
            stopReason = "cancelled";
        } else if (stopStatus == TaskStatus.TIMED_OUT) {
            status = TaskStatus.TIMED_OUT;
            stopReason = "timeout";
            error = "stopped by the scheduler's hard timeout";
        } else if (run.windDownReason() != null) {
            // stopped by a spending limit: what it found counts, whatever the interrupted process exited with
            stopReason = run.windDownReason();
            status = experiments.stream().anyMatch(Experiment::isFinite) ? TaskStatus.SUCCEEDED : TaskStatus.CANCELLED;
        } else if (exitUnknown && tail.errorTail().contains("Traceback (most recent call last)")) {
            // a run watched after a restart whose launcher left no exit status: the log tells how it ended
            status = TaskStatus.FAILED;
            error = outOfSpace(workspace, tail) + "exit code unknown (re-attached after a restart)\n" + tail.errorTail();
        } else if (!exitUnknown && (exitCode == null || exitCode != 0)) {
            status = TaskStatus.FAILED;
            error = outOfSpace(workspace, tail) + "exit code " + exitCode + "\n" + tail.errorTail();
        } else if (experiments.isEmpty()) {
            status = TaskStatus.FAILED;
            error = "no results: RD-Agent exited 0 but wrote no qlib_res.csv";
        } else if (experiments.stream().noneMatch(Experiment::isFinite)) {
            status = TaskStatus.FAILED;
            error = "no finite results: " + notFinite(experiments);
        } else {
            status = TaskStatus.SUCCEEDED;
        }
        return new RunReport(taskId, attempt, fenced, workspace, status, exitCode, stopReason, error, experiments,
                summarize(taskId, experiments), new ArrayList<>(), null);
    }

    /**
     * A run that failed for want of space says so first: when the disk is full its own traceback may never have
     * reached {@code run.log}, and the tail would show whatever chatter came before.
     */
    private String outOfSpace(Workspace workspace, RunLogTail tail) {
        FreeSpace.Folder disk = space.at(workspace.root());
        if (!disk.enoughSpace() || tail.errorTail().contains(FreeSpace.NO_SPACE)) {
            return FreeSpace.NO_SPACE + ": " + disk.describe() + "\n";
        }
        return "";
    }

    /** sota, best and last of the experiments so far, by the task's own ranking and RD-Agent's decisions. */
    public RunSummary summarize(long taskId, List<Experiment> experiments) {
        Metric ranking = tasks.find(taskId).map(Task::params)
                .flatMap(params -> Metric.byKey(params.path("rank_by").asText("")))
                .orElse(defaultRanking);
        return RunSummary.of(experiments, loops.decisions(taskId), ranking);
    }

    /** Which metric was not finite where, e.g. "IC was not finite in loop 1 (3f2a…), loop 2 (9c1b…)". */
    static String notFinite(List<Experiment> experiments) {
        Map<String, List<String>> where = new LinkedHashMap<>();
        for (Experiment experiment : experiments) {
            String place = (experiment.loop() == null ? "" : "loop " + experiment.loop() + " ")
                    + "(" + experiment.name() + ")";
            List<String> invalid = experiment.invalidMetrics();
            if (invalid.isEmpty()) {
                where.computeIfAbsent("", m -> new ArrayList<>()).add(place);
            }
            invalid.forEach(metric -> where.computeIfAbsent(metric, m -> new ArrayList<>()).add(place));
        }
        return where.entrySet().stream()
                .map(e -> e.getKey().isEmpty() ? "no headline metric in " + String.join(", ", e.getValue())
                        : e.getKey() + " was not finite in " + String.join(", ", e.getValue()))
                .collect(Collectors.joining("; "));
    }
}
