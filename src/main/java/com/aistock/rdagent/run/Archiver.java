package com.aistock.rdagent.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.aistock.rdagent.config.Dotenv;
import com.aistock.rdagent.system.FileTrees;
import com.aistock.rdagent.system.FreeSpace;
import com.aistock.rdagent.system.SchedulerProperties;
import com.aistock.rdagent.task.Task;
import com.aistock.rdagent.task.TaskStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Copies a run's results to {@code outbox/{yyyyMMdd}/{taskId}_{name}/} (SPEC 5.5): {@code summary.json}, each
 * experiment's {@code qlib_res.csv}, {@code ret.pkl} and {@code ret.csv} named by loop and kind
 * ({@code results/loop03_model_qlib_res.csv}) and its code ({@code experiments/loop03_model/model.py}),
 * {@code run.log} and {@code config/} with the secrets of {@code .env} masked. {@code summary.json} maps each name
 * to its experiment. The folder is built under a hidden name and renamed, so the outbox never shows half an
 * archive.
 */
@Component("archiver")
public class Archiver {

    private static final Logger log = LoggerFactory.getLogger(Archiver.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private final TaskStore tasks;
    private final LoopStore loops;
    private final SchedulerProperties properties;
    private final ObjectMapper objectMapper;

    /** One archived experiment: its name in the archive, what it was, and the files that hold it. */
    record Entry(String name, String experiment, Integer loop, String kind, Boolean decision,
                 Map<String, Double> metrics, List<String> nonFinite, Instant finishedAt, List<String> files) {
    }

    public Archiver(TaskStore tasks, LoopStore loops, SchedulerProperties properties, ObjectMapper objectMapper) {
        this.tasks = tasks;
        this.loops = loops;
        this.properties = properties;
        this.objectMapper = objectMapper;
    }

    /**
     * An archive that cannot be written (a full or unreachable outbox) leaves no half folder behind and does not
     * change how the run ended: the task keeps its status and exit code, with a warning that it is not archived
     * (its results stay in the workspace).
     */
    public RunReport archive(RunReport report) {
        if (report.fenced()) {
            return report; // the outbox folder belongs to the attempt that holds the task
        }
        Task task = tasks.find(report.taskId()).orElseThrow();
        Path day = properties.outbox().resolve(LocalDate.now().format(DAY));
        String folderName = report.taskId() + "_" + safeName(task.name());
        Path target = day.resolve(folderName);
        Path partial = day.resolve("." + folderName + ".partial");
        try {
            return write(task, report, partial, target);
        } catch (IOException e) {
            return notArchived(report, partial, e);
        } catch (UncheckedIOException e) {
            return notArchived(report, partial, e.getCause());
        }
    }

    private static RunReport notArchived(RunReport report, Path partial, IOException cause) {
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        // ENOSPC in plain words, whichever file it hit
        String reason = message.contains(FreeSpace.NO_SPACE) ? FreeSpace.NO_SPACE : message;
        log.warn("Task {}: not archived: {}", report.taskId(), reason);
        try {
            FileTrees.delete(partial);
        } catch (IOException | UncheckedIOException left) {
            log.warn("Task {}: cannot remove {}: {}", report.taskId(), partial, left.getMessage());
        }
        return report.withWarning("not archived: " + reason);
    }

    private RunReport write(Task task, RunReport report, Path partial, Path target) throws IOException {
        FileTrees.delete(partial);
        Files.createDirectories(partial);

        Workspace workspace = report.workspace();
        Path results = Files.createDirectories(partial.resolve("results"));
        Map<Integer, Boolean> decisions = loops.decisions(report.taskId());
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Experiment> named : names(report.experiments()).entrySet()) {
            String name = named.getKey();
            Experiment experiment = named.getValue();
            List<String> files = new ArrayList<>();
            for (String file : List.of("qlib_res.csv", "ret.csv", "ret.pkl")) {
                if (copyIfExists(experiment.folder().resolve(file), results.resolve(name + "_" + file))) {
                    files.add("results/" + name + "_" + file);
                }
            }
            Path code = partial.resolve(ExperimentFiles.ARCHIVED_CODE).resolve(name);
            for (Path file : ExperimentFiles.codeFiles(experiment.folder())) {
                Files.createDirectories(code);
                Files.copy(file, code.resolve(file.getFileName()));
                files.add(ExperimentFiles.ARCHIVED_CODE + "/" + name + "/" + file.getFileName());
            }
            Boolean decision = experiment.isBaseline() || experiment.loop() == null ? null
                    : decisions.get(experiment.loop());
            entries.add(new Entry(name, experiment.name(), experiment.loop(), experiment.kind(), decision,
                    experiment.metrics(), experiment.nonFinite(), experiment.finishedAt(), files));
        }
        copyIfExists(workspace.runLog(), partial.resolve("run.log"));
        Path config = Files.createDirectories(partial.resolve("config"));
        if (Files.isDirectory(workspace.config())) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(workspace.config())) {
                for (Path file : files) {
                    Files.copy(file, config.resolve(file.getFileName()));
                }
            }
        }
        if (Files.exists(workspace.env())) {
            Files.writeString(config.resolve(".env"),
                    Dotenv.parse(Files.readString(workspace.env(), StandardCharsets.UTF_8)).masked());
        }
        objectMapper.writerWithDefaultPrettyPrinter().writeValue(partial.resolve("summary.json").toFile(),
                summary(task, report, entries));

        FileTrees.delete(target);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        return report.archivedAt(target.toString());
    }

    private static Map<String, Object> summary(Task task, RunReport report, List<Entry> experiments) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("task_id", task.id());
        summary.put("name", task.name());
        summary.put("scenario", task.scenario());
        summary.put("status", report.status());
        summary.put("exit_code", report.exitCode());
        summary.put("stop_reason", report.stopReason());
        summary.put("error", report.error());
        summary.put("params", task.params());
        summary.put("config_hash", task.configHash());
        summary.put("config", task.config());
        summary.put("metrics", report.summary());
        // the LLM spend, its last calls read before the archive (spend-watch's settle step)
        summary.put("cost", task.cost());
        summary.put("experiments", experiments);
        summary.put("warnings", report.warnings());
        summary.put("created_at", task.createdAt());
        summary.put("started_at", task.startedAt());
        summary.put("archived_at", OffsetDateTime.now());
        return summary;
    }

    /** Task names are free text; only letters, digits, CJK, '-' and '_' reach a folder name. */
    static String safeName(String name) {
        if (name == null || name.isBlank()) {
            return "task";
        }
        String safe = name.strip().replaceAll("[^\\p{L}\\p{N}_-]+", "_");
        return safe.length() > 60 ? safe.substring(0, 60) : safe;
    }

    /**
     * Each experiment's name in the archive: its loop and kind ({@code loop03_model}, {@code loop00_baseline}),
     * {@code unmatched_<workspace>} when no loop is known; a second one of the same loop and kind gets {@code _2}.
     */
    static Map<String, Experiment> names(List<Experiment> experiments) {
        Map<String, Experiment> names = new LinkedHashMap<>();
        for (Experiment experiment : experiments) {
            String base = experiment.loop() == null ? "unmatched_" + experiment.name()
                    : String.format("loop%02d_%s", experiment.loop(), experiment.kind());
            String name = base;
            for (int n = 2; names.containsKey(name); n++) {
                name = base + "_" + n;
            }
            names.put(name, experiment);
        }
        return names;
    }

    private static boolean copyIfExists(Path source, Path target) throws IOException {
        if (Files.isRegularFile(source, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.copy(source, target);
            return true;
        }
        return false;
    }

}
