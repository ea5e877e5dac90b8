package com.aistock.rdagent.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

import com.aistock.rdagent.config.Dotenv;
import com.aistock.rdagent.system.FileTrees;
import com.aistock.rdagent.system.SchedulerProperties;
import com.aistock.rdagent.task.Task;
import com.aistock.rdagent.task.TaskStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;

/**
 * Copies a run's results to {@code outbox/{yyyyMMdd}/{taskId}_{name}/} (SPEC 5.5): {@code summary.json}, every
 * {@code qlib_res.csv} and {@code ret.pkl} prefixed by experiment, {@code run.log} and {@code config/} with the
 * secrets of {@code .env} masked. The folder is built under a hidden name and renamed, so the outbox never shows
 * half an archive.
 */
@Component("archiver")
public class Archiver {

    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private final TaskStore tasks;
    private final SchedulerProperties properties;
    private final ObjectMapper objectMapper;

    public Archiver(TaskStore tasks, SchedulerProperties properties, ObjectMapper objectMapper) {
        this.tasks = tasks;
        this.properties = properties;
        this.objectMapper = objectMapper;
    }

    public RunReport archive(RunReport report) throws IOException {
        if (report.fenced()) {
            return report; // the outbox folder belongs to the attempt that holds the task
        }
        Task task = tasks.find(report.taskId()).orElseThrow();
        Path day = properties.outbox().resolve(LocalDate.now().format(DAY));
        String folderName = report.taskId() + "_" + safeName(task.name());
        Path target = day.resolve(folderName);
        Path partial = day.resolve("." + folderName + ".partial");
        FileTrees.delete(partial);
        Files.createDirectories(partial);

        Workspace workspace = report.workspace();
        Path results = Files.createDirectories(partial.resolve("results"));
        for (Experiment experiment : report.experiments()) {
            Files.copy(experiment.folder().resolve("qlib_res.csv"), results.resolve(experiment.name() + "_qlib_res.csv"));
            copyIfExists(experiment.folder().resolve("ret.pkl"), results.resolve(experiment.name() + "_ret.pkl"));
            copyIfExists(experiment.folder().resolve("ret.csv"), results.resolve(experiment.name() + "_ret.csv"));
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
                summary(task, report));

        FileTrees.delete(target);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        return report.archivedAt(target.toString());
    }

    private static Map<String, Object> summary(Task task, RunReport report) {
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
        summary.put("experiments", report.experiments());
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

    private static void copyIfExists(Path source, Path target) throws IOException {
        if (Files.isRegularFile(source)) {
            Files.copy(source, target);
        }
    }

}
