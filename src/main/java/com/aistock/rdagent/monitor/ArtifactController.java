package com.aistock.rdagent.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.ApiParams;
import com.aistock.rdagent.system.SafePaths;
import com.aistock.rdagent.task.Task;
import com.aistock.rdagent.task.TaskService;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * A task's archive in {@code outbox/}: the list, one file, or all of it as a zip built while it streams. Served
 * by Spring MVC for streaming bodies; every path is confined to the task's own archive.
 */
@RestController
public class ArtifactController {

    private final TaskService tasks;

    public ArtifactController(TaskService tasks) {
        this.tasks = tasks;
    }

    @GetMapping(path = "/api/rdagent/tasks/{id}/artifacts", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<Artifact> list(@PathVariable String id) throws IOException {
        Path archive = archive(id);
        try (Stream<Path> files = Files.walk(archive)) {
            return files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted()
                    .map(p -> new Artifact(archive.relativize(p).toString(), size(p)))
                    .toList();
        }
    }

    @GetMapping("/api/rdagent/tasks/{id}/artifacts/{*path}")
    public ResponseEntity<FileSystemResource> file(@PathVariable String id, @PathVariable String path) {
        Path archive = archive(id);
        Path file = SafePaths.resolve(archive, path.startsWith("/") ? path.substring(1) : path, "path");
        if (!Files.isRegularFile(file)) {
            throw ApiException.notFound("no artifact " + path);
        }
        return ResponseEntity.ok()
                .contentType(MediaTypeFactory.getMediaType(file.getFileName().toString())
                        .orElse(MediaType.APPLICATION_OCTET_STREAM))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(file.getFileName().toString(), java.nio.charset.StandardCharsets.UTF_8).build().toString())
                .body(new FileSystemResource(file));
    }

    @GetMapping("/api/rdagent/tasks/{id}/artifacts.zip")
    public ResponseEntity<StreamingResponseBody> zip(@PathVariable String id) {
        Path archive = archive(id);
        StreamingResponseBody body = out -> writeZip(archive, out);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/zip"))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(archive.getFileName() + ".zip", java.nio.charset.StandardCharsets.UTF_8).build().toString())
                .body(body);
    }

    /** Only regular files, never followed links: a symlink planted in the archive adds nothing to the zip. */
    private static void writeZip(Path archive, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        try (Stream<Path> files = Files.walk(archive)) {
            for (Path file : files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
                zip.putNextEntry(new ZipEntry(archive.relativize(file).toString()));
                try (InputStream in = Files.newInputStream(file)) {
                    in.transferTo(zip);
                }
                zip.closeEntry();
            }
        }
        zip.finish();
    }

    private Path archive(String id) {
        Task task = tasks.get(ApiParams.id("id", id));
        if (task.archivePath() == null || !Files.isDirectory(Path.of(task.archivePath()))) {
            throw ApiException.notFound("task " + task.id() + " has no archive yet");
        }
        return Path.of(task.archivePath());
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
