package com.aistock.rdagent.monitor;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import com.aistock.rdagent.run.Experiment;
import com.aistock.rdagent.run.LoopStore;
import com.aistock.rdagent.run.ResultCollector;
import com.aistock.rdagent.run.RetConverter;
import com.aistock.rdagent.run.RunReading;
import com.aistock.rdagent.run.RunReadings;
import com.aistock.rdagent.run.RunRegistry;
import com.aistock.rdagent.run.RunReport;
import com.aistock.rdagent.run.RunSummary;
import com.aistock.rdagent.system.JsonColumns;
import com.aistock.rdagent.system.SqlFiles;
import com.aistock.rdagent.task.RdAgentDuration;
import com.aistock.rdagent.task.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Follows each running task as RD-Agent writes it, through the run's {@link RunReading}: the progress from the
 * loop markers, each loop's experiments as their {@code qlib_res.csv} appear (with the equity curve converted
 * from {@code ret.pkl} at once), and the task's {@code sota}, {@code best} and {@code last} as experiments and
 * RD-Agent's decisions come in. Each is written only when it changed; live viewers pick the changes up from the
 * database, whichever node they are connected to.
 */
@Component("progressTracker")
public class ProgressTracker {

    private static final Logger log = LoggerFactory.getLogger(ProgressTracker.class);
    static final int STEPS_PER_LOOP = 5;

    private final RunRegistry registry;
    private final RunReadings readings;
    private final LoopStore loops;
    private final ResultCollector results;
    private final RetConverter converter;
    private final NamedParameterJdbcTemplate jdbc;
    private final JsonColumns columns;
    /** By run, not by task: a resumed task is a new run and starts afresh. */
    private final Map<RunRegistry.ActiveRun, Written> written = new ConcurrentHashMap<>();

    public ProgressTracker(RunRegistry registry, RunReadings readings, LoopStore loops, ResultCollector results,
                           RetConverter converter, NamedParameterJdbcTemplate jdbc, JsonColumns columns) {
        this.registry = registry;
        this.readings = readings;
        this.loops = loops;
        this.results = results;
        this.converter = converter;
        this.jdbc = jdbc;
        this.columns = columns;
    }

    /**
     * What was last written for one run, so that only changes are written; a tick and the run's completion take
     * turns on it, and once the run is complete no tick writes for it again.
     */
    private static final class Written {
        boolean complete;
        Progress progress;
        RunSummary summary;
        /** Experiments whose ret.pkl would not convert: tried again once, at the end of the run. */
        final Set<String> unconvertible = ConcurrentHashMap.newKeySet();
    }

    /** One tick: read what each running task gained and store any change. */
    public void update() throws InterruptedException {
        List<RunRegistry.ActiveRun> runs = registry.activeTaskIds().stream().map(registry::forTask)
                .filter(Objects::nonNull).toList();
        for (RunRegistry.ActiveRun run : runs) {
            if (run.pid() != null) {
                update(run);
            }
        }
        written.keySet().retainAll(runs);
    }

    private void update(RunRegistry.ActiveRun run) throws InterruptedException {
        Written state = written.computeIfAbsent(run, r -> new Written());
        synchronized (state) {
            if (!state.complete) {
                update(run, state);
            }
        }
    }

    private void update(RunRegistry.ActiveRun run, Written state) throws InterruptedException {
        long taskId = run.spec().taskId();
        RunReading reading = readings.of(taskId, run.spec().workspace());
        List<Experiment> changed;
        try {
            changed = reading.advance();
        } catch (IOException e) {
            return; // the next tick reads again
        }
        int attempt = run.spec().attempt();
        storeProgress(taskId, attempt, state, progress(reading.position(), run.spec().loopN(), run.spec().allDuration(),
                run.startedAt(), null));
        storeExperiments(taskId, reading.experiments(), changed);
        RunSummary summary = results.summarize(taskId, reading.experiments());
        if (summary != null && !summary.equals(state.summary)) {
            jdbc.update(SqlFiles.load("task-metrics"), Map.of("id", taskId, "attempt", attempt,
                    "metrics", columns.write(summary)));
            state.summary = summary;
        }
        // the numbers first, the curves after: a conversion starts a Python and must not hold them back
        for (Experiment experiment : changed) {
            if (!experiment.curve() && !state.unconvertible.contains(experiment.name())
                    && Files.exists(experiment.folder().resolve("ret.pkl"))) {
                String problem = converter.convert(experiment);
                if (problem != null) {
                    log.info("Task {}: no equity curve for {} yet: {}", taskId, experiment.name(), problem);
                    state.unconvertible.add(experiment.name());
                }
            }
        }
    }

    /**
     * The last word on a finished run: its loops as finally read, 100% when it succeeded. The run's state stays
     * until the run leaves the registry, so that a tick still under way cannot write over it.
     */
    public void complete(RunReport report) {
        RunRegistry.ActiveRun run = registry.forTask(report.taskId());
        if (run == null) {
            return;
        }
        Written state = written.computeIfAbsent(run, r -> new Written());
        synchronized (state) {
            state.complete = true;
            RunReading reading = readings.of(report.taskId(), run.spec().workspace());
            storeProgress(report.taskId(), run.spec().attempt(), state, progress(reading.position(), run.spec().loopN(),
                    run.spec().allDuration(), run.startedAt(), report.status()));
            storeExperiments(report.taskId(), report.experiments(), report.experiments());
        }
    }

    private void storeExperiments(long taskId, List<Experiment> all, List<Experiment> changed) {
        Set<Integer> touched = new TreeSet<>();
        changed.stream().map(Experiment::loop).filter(Objects::nonNull).forEach(touched::add);
        for (int loop : touched) {
            loops.recordExperiments(taskId, loop, all.stream().filter(e -> Objects.equals(e.loop(), loop)).toList());
        }
    }

    private void storeProgress(long taskId, int attempt, Written state, Progress progress) {
        if (progress != null && (state.progress == null || !sameProgress(state.progress, progress))) {
            jdbc.update(SqlFiles.load("task-progress"), Map.of("id", taskId, "attempt", attempt,
                    "progress", columns.write(progress)));
            state.progress = progress;
        }
    }

    private static Progress progress(RunReading.Position position, Integer loopN, String allDuration,
                                     OffsetDateTime startedAt, TaskStatus finished) {
        if (position.loop() == null && finished != TaskStatus.SUCCEEDED) {
            return null;
        }
        Double percent = null;
        if (finished == TaskStatus.SUCCEEDED) {
            percent = 100.0;
        } else if (loopN != null) {
            percent = Math.min(99.0, 100.0 * (position.loop() * STEPS_PER_LOOP + position.step())
                    / (loopN * STEPS_PER_LOOP));
        } else if (allDuration != null && startedAt != null) {
            double elapsed = Duration.between(startedAt, OffsetDateTime.now()).toMillis();
            percent = Math.min(99.0, 100.0 * elapsed / RdAgentDuration.parse(allDuration).toMillis());
        }
        if (percent != null) {
            percent = Math.round(percent * 10) / 10.0;
        }
        return new Progress(position.loop(), loopN, position.step(), position.stepName(), percent, OffsetDateTime.now());
    }

    private static boolean sameProgress(Progress a, Progress b) {
        return Objects.equals(a.loop(), b.loop()) && Objects.equals(a.step(), b.step())
                && Objects.equals(a.percent(), b.percent());
    }
}
