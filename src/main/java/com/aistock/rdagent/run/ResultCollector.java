package com.aistock.rdagent.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.aistock.rdagent.system.FreeSpace;
import com.aistock.rdagent.task.TaskStatus;
import org.apache.camel.Header;
import org.apache.camel.component.exec.ExecBinding;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Reads what a run left behind and decides its status (SPEC 5.2): success needs exit code 0 <em>and</em> at
 * least one {@code qlib_res.csv} with finite metrics; a stop asked for by a user or the hard timeout wins over
 * whatever the process did. A run stopped because the service shut down is CANCELLED (stop reason
 * {@code shutdown}: it can resume), unless it had ended with exit code 0 and results anyway.
 */
@Component("resultCollector")
public class ResultCollector {

    private final RunRegistry registry;
    private final LoopStore loops;
    private final String bestMetric;
    private final FreeSpace space;

    public ResultCollector(RunRegistry registry, LoopStore loops, FreeSpace space,
                           @Value("${scheduler.results.best-metric}") String bestMetric) {
        this.registry = registry;
        this.loops = loops;
        this.space = space;
        this.bestMetric = bestMetric;
    }

    public RunReport collect(@Header(WorkspacePreparer.TASK_ID) long taskId,
                             @Header(ExecBinding.EXEC_EXIT_VALUE) Integer exitValue) throws IOException {
        RunRegistry.ActiveRun run = registry.forTask(taskId);
        Workspace workspace = run.spec().workspace();
        List<TaskLoop> taskLoops = loops.list(taskId);
        List<Experiment> experiments = experiments(workspace.ws()).stream().map(e -> e.inLoopOf(taskLoops)).toList();
        RunLogTail tail = RunLogTail.read(workspace.runLog());
        boolean exitUnknown = exitValue != null && exitValue == RdAgentExecutor.UNKNOWN_EXIT;
        Integer exitCode = exitValue == null || exitValue < 0 ? null : exitValue;
        TaskStatus stopStatus = run.stopStatus();

        TaskStatus status;
        String stopReason = tail.stopReason();
        String error = null;
        boolean succeeded = exitCode != null && exitCode == 0 && !experiments.isEmpty();
        if (run.stoppedByShutdown() && !succeeded) {
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
        } else if (exitUnknown && tail.errorTail().contains("Traceback (most recent call last)")) {
            // a run watched after a restart of this node: not our child, so the log tells how it ended
            status = TaskStatus.FAILED;
            error = outOfSpace(workspace, tail) + "exit code unknown (re-attached after a restart)\n" + tail.errorTail();
        } else if (!exitUnknown && (exitCode == null || exitCode != 0)) {
            status = TaskStatus.FAILED;
            error = outOfSpace(workspace, tail) + "exit code " + exitCode + "\n" + tail.errorTail();
        } else if (experiments.isEmpty()) {
            status = TaskStatus.FAILED;
            error = "no results: RD-Agent exited 0 but wrote no qlib_res.csv with finite metrics";
        } else {
            status = TaskStatus.SUCCEEDED;
        }
        return new RunReport(taskId, workspace, status, exitCode, stopReason, error, experiments,
                RunSummary.of(experiments, bestMetric), new ArrayList<>(), null);
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
