package com.aistock.rdagent.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.aistock.rdagent.system.ApiException;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.StreamUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * {@code GET /tasks/{id}/logs}: offset polling as JSON, or a live stream with {@code Accept: text/event-stream};
 * {@code GET /tasks/{id}/run.log}: the whole log as a download, while the run lasts too.
 * Spring MVC rather than a Camel route because the stream is an {@link SseEmitter}; Camel maps no such path,
 * so these requests fall through to MVC.
 */
@RestController
public class TaskLogController {

    private static final int DEFAULT_LIMIT = 64 << 10;

    private final TaskLogs logs;
    private final LogFollower follower;

    public TaskLogController(TaskLogs logs, LogFollower follower) {
        this.logs = logs;
        this.follower = follower;
    }

    @GetMapping(path = "/api/rdagent/tasks/{id}/logs", produces = MediaType.APPLICATION_JSON_VALUE)
    public Object read(@PathVariable String id,
                       @RequestParam(required = false) String offset,
                       @RequestParam(required = false) String limit,
                       @RequestParam(required = false) String q) throws IOException {
        long taskId = positive("id", id, 1);
        long from = offset == null ? 0 : positive("offset", offset, 0);
        if (q != null && !q.isEmpty()) {
            return logs.search(taskId, from, q);
        }
        long size = limit == null ? DEFAULT_LIMIT : positive("limit", limit, 1);
        if (size > TaskLogs.MAX_LIMIT) {
            throw ApiException.validation("limit", "must be at most " + TaskLogs.MAX_LIMIT + " bytes");
        }
        return logs.read(taskId, from, (int) size);
    }

    @GetMapping(path = "/api/rdagent/tasks/{id}/logs", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter stream(@PathVariable String id,
                             @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                             @RequestParam(required = false) String offset) {
        long taskId = positive("id", id, 1);
        String resume = lastEventId != null ? lastEventId : offset;
        return follower.follow(taskId, resume == null ? 0 : positive(lastEventId != null ? "Last-Event-ID" : "offset", resume, 0));
    }

    /** The bytes written so far: a log still growing is cut at its size when asked, so the download ends. */
    @GetMapping("/api/rdagent/tasks/{id}/run.log")
    public ResponseEntity<StreamingResponseBody> download(@PathVariable String id) throws IOException {
        long taskId = positive("id", id, 1);
        Path log = logs.require(taskId);
        long size = Files.size(log);
        StreamingResponseBody body = out -> {
            try (InputStream in = Files.newInputStream(log)) {
                StreamUtils.copyRange(in, out, 0, size - 1);
            }
        };
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8))
                .contentLength(size)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename("task-" + taskId + "-run.log").build().toString())
                .body(body);
    }

    private static long positive(String field, String text, long min) {
        try {
            long value = Long.parseLong(text.strip());
            if (value >= min) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.validation(field, "must be an integer ≥ " + min);
    }
}
