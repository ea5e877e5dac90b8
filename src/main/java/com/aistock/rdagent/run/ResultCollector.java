package com.aistock.rdagent.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.aistock.rdagent.system.SchedulerProperties;
import com.aistock.rdagent.task.TaskStatus;
import org.apache.camel.Header;
import org.apache.camel.component.exec.ExecBinding;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Reads what a run left behind and decides its status (SPEC 5.2): success needs exit code 0 <em>and</em> at
 * least one {@code qlib_res.csv} with finite metrics; a stop asked for by a user or the hard timeout wins over
 * whatever the process did.
 */
@Component("resultCollector")
public class ResultCollector {

    private final RunRegistry registry;
    private final LoopStore loops;
    private final LoopRebuild loopRebuild;
    private final AttemptStore attempts;
    private final String bestMetric;
    private final String node;

    public ResultCollector(RunRegistry registry, LoopStore loops, LoopRebuild loopRebuild, AttemptStore attempts,
                           SchedulerProperties properties,
                           @Value("${scheduler.results.best-metric}") String bestMetric) {
        this.registry = registry;
        this.loops = loops;
        this.loopRebuild = loopRebuild;
        this.attempts = attempts;
        this.bestMetric = bestMetric;
        this.node = properties.nodeId();
    }

    public RunReport collect(@Header(WorkspacePreparer.TASK_ID) long taskId,
                             @Header(ExecBinding.EXEC_EXIT_VALUE) Integer exitValue) throws IOException {
        RunRegistry.ActiveRun run = registry.forTask(taskId);
        Workspace workspace = run.spec().workspace();
        int attempt = run.spec().attempt();
        List<Experiment> found = experiments(workspace.ws());
        // a fenced attempt, or one whose task moved on meanwhile, leaves the task, its loops and the outbox alone
        boolean fenced = run.fenced() || !attempts.holds(taskId, attempt, node);
        if (!fenced) {
            loopRebuild.rebuild(taskId, workspace.runLog(), found);
        }
        List<TaskLoop> taskLoops = loops.list(taskId);
        List<Experiment> experiments = found.stream().map(e -> e.inLoopOf(taskLoops)).toList();
        RunLogTail tail = RunLogTail.read(workspace.runLog());
        boolean exitUnknown = exitValue != null && exitValue == RdAgentExecutor.UNKNOWN_EXIT;
        Integer exitCode = exitValue == null || exitValue < 0 ? null : exitValue;
        TaskStatus stopStatus = run.stopStatus();

        TaskStatus status;
        String stopReason = tail.stopReason();
        String error = null;
        if (fenced) {
            status = TaskStatus.FAILED;
            stopReason = "fenced";
            error = "stopped: this node could not renew the task's lease";
        } else if (stopStatus == TaskStatus.CANCELLED) {
            status = TaskStatus.CANCELLED;
            stopReason = "cancelled";
        } else if (stopStatus == TaskStatus.TIMED_OUT) {
            status = TaskStatus.TIMED_OUT;
            stopReason = "timeout";
            error = "stopped by the scheduler's hard timeout";
        } else if (stopStatus == TaskStatus.FAILED) {
            status = TaskStatus.FAILED;
            stopReason = "scheduler stopped";
            error = "stopped because the scheduler shut down";
        } else if (exitUnknown && tail.errorTail().contains("Traceback (most recent call last)")) {
            // a run watched after a restart whose launcher left no exit status: the log tells how it ended
            status = TaskStatus.FAILED;
            error = "exit code unknown (re-attached after a restart)\n" + tail.errorTail();
        } else if (!exitUnknown && (exitCode == null || exitCode != 0)) {
            status = TaskStatus.FAILED;
            error = "exit code " + exitCode + "\n" + tail.errorTail();
        } else if (experiments.isEmpty()) {
            status = TaskStatus.FAILED;
            error = "no results: RD-Agent exited 0 but wrote no qlib_res.csv with finite metrics";
        } else {
            status = TaskStatus.SUCCEEDED;
        }
        return new RunReport(taskId, attempt, fenced, workspace, status, exitCode, stopReason, error, experiments,
                RunSummary.of(experiments, bestMetric), new ArrayList<>(), null);
    }

    /** Every experiment workspace under {@code ws/} with at least one finite metric, oldest first. */
    static List<Experiment> experiments(Path ws) throws IOException {
        if (!Files.isDirectory(ws)) {
            return List.of();
        }
        List<Experiment> experiments = new ArrayList<>();
        try (Stream<Path> files = Files.find(ws, 3, (path, attributes) ->
                attributes.isRegularFile() && path.getFileName().toString().equals("qlib_res.csv"))) {
            for (Path csv : files.toList()) {
                Map<String, Double> metrics = QlibResults.parse(csv);
                if (!metrics.isEmpty()) {
                    Path folder = csv.getParent();
                    experiments.add(new Experiment(ws.relativize(folder).toString().replace('/', '_'), folder,
                            metrics, Files.getLastModifiedTime(csv).toInstant()));
                }
            }
        }
        experiments.sort((a, b) -> a.finishedAt().compareTo(b.finishedAt()));
        return experiments;
    }
}
