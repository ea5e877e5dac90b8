package com.aistock.rdagent.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.aistock.rdagent.config.Dotenv;
import com.aistock.rdagent.config.TemplateBlobStore;
import com.aistock.rdagent.run.ExperimentFiles;
import com.aistock.rdagent.run.Workspace;
import com.aistock.rdagent.system.ApiParams;
import com.aistock.rdagent.system.Secrets;
import com.aistock.rdagent.task.Task;
import com.aistock.rdagent.task.TaskComparison;
import com.aistock.rdagent.task.TaskService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * One task as a JSON bundle for AIstock ({@code GET /tasks/{id}/export}, schema {@code ExportBundle} in the
 * OpenAPI document): the SOTA experiment's code and equity curve, the templates and the .env keys it ran with
 * (secrets masked as everywhere else, the task's own {@code env} too), its metrics, dataset and versions — so a
 * result is imported without reading archives.
 */
@Component("taskExport")
public class TaskExport {

    /** Bumped when a field changes meaning or goes away; new fields may appear in any version. */
    public static final int FORMAT = 1;

    private final TaskService tasks;
    private final TaskComparison runs;
    private final MonitorApi monitor;
    private final ExperimentFiles files;
    private final TemplateBlobStore blobs;

    public TaskExport(TaskService tasks, TaskComparison runs, MonitorApi monitor, ExperimentFiles files,
                      TemplateBlobStore blobs) {
        this.tasks = tasks;
        this.runs = runs;
        this.monitor = monitor;
        this.files = files;
        this.blobs = blobs;
    }

    public record ExportedTask(long id, String name, String scenario, String status, JsonNode params,
                               List<String> tags, String note, boolean starred, OffsetDateTime createdAt,
                               OffsetDateTime startedAt, OffsetDateTime finishedAt) {
    }

    public record CodeFile(String path, String content) {
    }

    /** @param reason why there is no code or curve, when there is none */
    public record Sota(Integer loop, String experiment, String kind, JsonNode values, List<CodeFile> code,
                       List<EquityPoint> equityCurve, String reason) {
    }

    /** @param content null when the version is no longer stored */
    public record Template(String file, String sha256, Long versionId, String content) {
    }

    public record EnvKey(String key, String value) {
    }

    /** @param env null when neither the workspace nor the archive holds the run's .env any more */
    public record Bundle(int format, OffsetDateTime exportedAt, ExportedTask task, TaskComparison.DatasetRef dataset,
                         JsonNode metrics, Sota sota, List<Template> templates, List<EnvKey> env) {
    }

    public Bundle export(@Header("id") String id) throws IOException {
        Task task = tasks.get(ApiParams.id("id", id));
        TaskComparison.Run run = runs.run(task.id());
        List<Template> templates = new ArrayList<>();
        for (Map.Entry<String, TaskComparison.TemplateRef> file : run.templates().entrySet()) {
            TaskComparison.TemplateRef ref = file.getValue();
            String content = ref.sha256() == null ? null : blobs.find(ref.sha256())
                    .map(bytes -> new String(bytes, StandardCharsets.UTF_8)).orElse(null);
            templates.add(new Template(file.getKey(), ref.sha256(), ref.versionId(), content));
        }
        return new Bundle(FORMAT, OffsetDateTime.now(), new ExportedTask(task.id(), task.name(), task.scenario(),
                task.status().name(), maskedParams(task.params()), task.tags(), task.note(), task.starred(), task.createdAt(),
                task.startedAt(), task.finishedAt()), run.dataset(), task.metrics(), sota(task), templates, env(task));
    }

    /** The request with its own {@code env} secrets masked as a .env's are: the bundle leaves the product. */
    private static JsonNode maskedParams(JsonNode params) {
        if (params == null || !params.path("env").isObject()) {
            return params;
        }
        ObjectNode copy = params.deepCopy();
        ObjectNode env = (ObjectNode) copy.get("env");
        List<String> secrets = new ArrayList<>();
        env.fieldNames().forEachRemaining(key -> {
            if (Secrets.isSecret(key)) {
                secrets.add(key);
            }
        });
        secrets.forEach(key -> env.put(key, Secrets.MASK));
        return copy;
    }

    private Sota sota(Task task) throws IOException {
        JsonNode sota = task.metrics() == null ? null : task.metrics().path("sota");
        if (sota == null || !sota.isObject()) {
            return new Sota(null, null, null, null, List.of(), List.of(),
                    task.metrics() == null ? "no experiment results" : "RD-Agent accepted no experiment");
        }
        String experiment = sota.path("experiment").asText();
        List<CodeFile> code = new ArrayList<>();
        for (ExperimentFiles.FileEntry entry : files.list(task, experiment)) {
            if (entry.code()) {
                code.add(new CodeFile(entry.path(), Files.readString(files.file(task, experiment, entry.path()),
                        StandardCharsets.UTF_8)));
            }
        }
        Report report = monitor.report(Long.toString(task.id()), null, null);
        return new Sota(sota.path("loop").isInt() ? sota.path("loop").asInt() : null, experiment,
                sota.path("kind").asText(null), sota.path("values"), code, report.points(), report.reason());
    }

    /** The .env the run read, masked: its workspace's while it lasts, else the archive's (masked when archived). */
    private static List<EnvKey> env(Task task) throws IOException {
        Optional<Path> file = Optional.empty();
        if (task.workspacePath() != null) {
            file = Optional.of(new Workspace(Path.of(task.workspacePath())).env()).filter(Files::isRegularFile);
        }
        if (file.isEmpty() && task.archivePath() != null) {
            file = Optional.of(Path.of(task.archivePath(), "config", ".env")).filter(Files::isRegularFile);
        }
        if (file.isEmpty()) {
            return null;
        }
        Dotenv masked = Dotenv.parse(Dotenv.parse(Files.readString(file.get(), StandardCharsets.UTF_8)).masked());
        return masked.entries().stream().map(entry -> new EnvKey(entry.key(), entry.value())).toList();
    }
}
