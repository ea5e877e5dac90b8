package com.aistock.rdagent.monitor;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.task.Task;
import com.aistock.rdagent.task.TaskService;
import org.springframework.stereotype.Component;

/**
 * Reads a task's run.log by byte offsets: from the workspace while the run lasts, from the archive once it is
 * over. Reads are bounded, so a log of any size is served in constant memory.
 */
@Component
public class TaskLogs {

    public static final int MAX_LIMIT = 1 << 20;
    private static final int SEARCH_BUDGET = 64 << 20;
    private static final int MAX_MATCHES = 1000;

    private final TaskService tasks;

    public TaskLogs(TaskService tasks) {
        this.tasks = tasks;
    }

    /** The log a viewer should read now; empty before the run has written anything. */
    public Optional<Path> locate(Task task) {
        if (task.status().isFinished() && task.archivePath() != null) {
            Path archived = Path.of(task.archivePath(), "run.log");
            if (Files.exists(archived)) {
                return Optional.of(archived);
            }
        }
        if (task.workspacePath() != null) {
            Path live = Path.of(task.workspacePath(), "run.log");
            if (Files.exists(live)) {
                return Optional.of(live);
            }
        }
        return Optional.empty();
    }

    /** The log a viewer should read now, by task id; 404 when the task has none yet. */
    public Path require(long taskId) {
        Task task = tasks.get(taskId);
        return locate(task).orElseThrow(() -> ApiException.notFound("task " + taskId + " has no run.log yet"));
    }

    public LogChunk read(long taskId, long offset, int limit) throws IOException {
        Task task = tasks.get(taskId);
        Optional<Path> log = locate(task);
        if (log.isEmpty()) {
            return new LogChunk(offset, offset, "", task.status().isFinished());
        }
        try (RandomAccessFile file = new RandomAccessFile(log.get().toFile(), "r")) {
            long size = file.length();
            long start = Math.min(offset, size);
            // at least one whole character (up to 4 bytes) per call, so every call makes progress
            byte[] bytes = new byte[(int) Math.min(Math.max(limit, 4), size - start)];
            file.seek(start);
            file.readFully(bytes);
            int from = Utf8.skipContinuation(bytes);
            int to = start + bytes.length < size ? Utf8.completeLength(bytes) : bytes.length;
            to = Math.max(to, from);
            long next = start + to;
            return new LogChunk(start + from, next, new String(bytes, from, to - from, StandardCharsets.UTF_8),
                    next >= size && task.status().isFinished());
        }
    }

    public LogMatch search(long taskId, long offset, String query) throws IOException {
        if (query.length() > 200) {
            throw ApiException.validation("q", "must be at most 200 characters");
        }
        Task task = tasks.get(taskId);
        Optional<Path> log = locate(task);
        if (log.isEmpty()) {
            return new LogMatch(offset, offset, List.of(), task.status().isFinished());
        }
        List<LogMatch.Line> matches = new ArrayList<>();
        try (RandomAccessFile file = new RandomAccessFile(log.get().toFile(), "r")) {
            long size = file.length();
            long position = Math.min(offset, size);
            file.seek(position);
            InputStream in = new BufferedInputStream(Channels.newInputStream(file.getChannel()), 1 << 16);
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            long lineStart = position;
            while (position < size && position - offset < SEARCH_BUDGET && matches.size() < MAX_MATCHES) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                position++;
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.UTF_8);
                    if (text.contains(query)) {
                        matches.add(new LogMatch.Line(lineStart, Utf8.visible(text)));
                    }
                    line.reset();
                    lineStart = position;
                } else if (line.size() < MAX_LIMIT) {
                    line.write(b);
                }
            }
            // an unfinished last line is searched again on the next call
            long next = lineStart;
            return new LogMatch(offset, next, matches, next >= size && task.status().isFinished());
        }
    }
}
