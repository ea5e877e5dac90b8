package com.aistock.rdagent.monitor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.aistock.rdagent.run.ExperimentFiles;
import com.aistock.rdagent.system.ApiParams;
import com.aistock.rdagent.task.Task;
import com.aistock.rdagent.task.TaskService;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * One file of an experiment RD-Agent ran (its code, templates, logs), read-only: from the run's workspace while
 * it is there, from the archive after. A path with slashes, so Spring MVC serves it; it stays inside the
 * experiment's own folder.
 */
@RestController
public class ExperimentFileController {

    private final TaskService tasks;
    private final ExperimentFiles files;

    public ExperimentFileController(TaskService tasks, ExperimentFiles files) {
        this.tasks = tasks;
        this.files = files;
    }

    @GetMapping("/api/rdagent/tasks/{id}/experiments/{experiment}/files/{*path}")
    public ResponseEntity<FileSystemResource> file(@PathVariable String id, @PathVariable String experiment,
                                                   @PathVariable String path) {
        Task task = tasks.get(ApiParams.id("id", id));
        Path file = files.file(task, experiment, path.startsWith("/") ? path.substring(1) : path);
        // shown as text, never run or rendered by the browser
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8))
                .header("X-Content-Type-Options", "nosniff")
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.inline()
                        .filename(file.getFileName().toString(), StandardCharsets.UTF_8).build().toString())
                .body(new FileSystemResource(file));
    }
}
