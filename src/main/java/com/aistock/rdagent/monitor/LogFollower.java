package com.aistock.rdagent.monitor;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.aistock.rdagent.run.LoopStore;
import com.aistock.rdagent.run.TaskLoop;
import com.aistock.rdagent.task.Task;
import com.aistock.rdagent.task.TaskService;
import com.aistock.rdagent.task.TaskStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Live logs for every viewer from one thread: each tick, every subscription gets the complete lines its log
 * gained since its own position, as SSE events whose id is the byte offset after the line, so a client that
 * reconnects with {@code Last-Event-ID} resumes with no gap and no duplicate. No thread is held per viewer.
 *
 * <p>The same stream carries the run's other changes, one event type each, read from the database (so a viewer
 * on any node sees them): {@code status} (the whole task, when its status changes), {@code progress},
 * {@code metrics} ({@code sota, best, last}), {@code cost} (LLM spend, with its budget warning) and {@code loop} (one
 * loop row, when it changes). A new subscription
 * first gets the current state of each; these events carry no id, so they never move {@code Last-Event-ID}.
 */
@Component
public class LogFollower {

    private static final Logger log = LoggerFactory.getLogger(LogFollower.class);

    private static final long TICK_MILLIS = 100;
    private static final int MAX_READ_PER_TICK = 256 << 10;
    private static final long STATUS_CHECK_MILLIS = 1000;
    private static final long KEEPALIVE_MILLIS = 15_000;

    private final TaskService tasks;
    private final TaskLogs logs;
    private final LoopStore loops;
    private final ObjectMapper objectMapper;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService follower = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "log-follower");
        thread.setDaemon(true);
        return thread;
    });

    public LogFollower(TaskService tasks, TaskLogs logs, LoopStore loops, ObjectMapper objectMapper) {
        this.tasks = tasks;
        this.logs = logs;
        this.loops = loops;
        this.objectMapper = objectMapper;
        follower.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static final class Subscription {
        final long taskId;
        final SseEmitter emitter;
        long position;
        Path log;
        boolean finished;
        long statusCheckedAt;
        long sentAt = System.currentTimeMillis();
        /** What this viewer was last sent of the task; null until the first look. */
        TaskStatus status;
        JsonNode progress;
        JsonNode metrics;
        JsonNode cost;
        /** Each loop's updated_at as last sent: a loop goes out again whenever it differs. */
        final Map<Integer, OffsetDateTime> loopsSent = new HashMap<>();

        Subscription(long taskId, long position, SseEmitter emitter) {
            this.taskId = taskId;
            this.position = position;
            this.emitter = emitter;
        }
    }

    public SseEmitter follow(long taskId, long fromOffset) {
        tasks.get(taskId); // 404 for an unknown task, before the stream opens
        SseEmitter emitter = new SseEmitter(TimeUnit.HOURS.toMillis(1));
        Subscription subscription = new Subscription(taskId, fromOffset, emitter);
        emitter.onCompletion(() -> subscriptions.remove(subscription));
        emitter.onTimeout(() -> subscriptions.remove(subscription));
        emitter.onError(e -> subscriptions.remove(subscription));
        subscriptions.add(subscription);
        return emitter;
    }

    public int viewers() {
        return subscriptions.size();
    }

    private void tick() {
        // viewers of one task share its lookups: one query each per task per tick, not one per viewer
        Looked looked = new Looked(new HashMap<>(), new HashMap<>());
        for (Iterator<Subscription> it = subscriptions.iterator(); it.hasNext(); ) {
            Subscription subscription = it.next();
            try {
                pump(subscription, looked);
            } catch (IOException | RuntimeException e) {
                it.remove();
                close(subscription, e);
            }
        }
    }

    /**
     * Ends a viewer's stream that failed. A stream already closed may refuse even that: nothing may escape the
     * tick, or the scheduler would never run it again and every live view would stop.
     */
    private static void close(Subscription subscription, Exception cause) {
        try {
            subscription.emitter.completeWithError(cause);
        } catch (RuntimeException alreadyClosed) {
            log.debug("Live view of task {} already closed", subscription.taskId, alreadyClosed);
        }
    }

    /** The task rows and loop rows read in one tick, by task. */
    private record Looked(Map<Long, Task> tasks, Map<Long, List<TaskLoop>> loops) {
    }

    private void pump(Subscription subscription, Looked looked) throws IOException {
        long now = System.currentTimeMillis();
        if (subscription.status == null || !subscription.finished && now - subscription.statusCheckedAt > STATUS_CHECK_MILLIS) {
            Task task = looked.tasks().computeIfAbsent(subscription.taskId, tasks::get);
            subscription.statusCheckedAt = now;
            subscription.finished = task.status().isFinished();
            Optional<Path> log = logs.locate(task);
            subscription.log = log.orElse(null);
            sendChanges(subscription, task, looked.loops().computeIfAbsent(subscription.taskId, loops::list));
        }
        if (subscription.log == null) {
            if (subscription.finished) {
                end(subscription);
            }
            return;
        }
        long size;
        try (RandomAccessFile file = new RandomAccessFile(subscription.log.toFile(), "r")) {
            size = file.length();
            if (subscription.position < size) {
                byte[] bytes = new byte[(int) Math.min(MAX_READ_PER_TICK, size - subscription.position)];
                file.seek(subscription.position);
                file.readFully(bytes);
                boolean atEnd = subscription.position + bytes.length >= size;
                send(subscription, bytes, subscription.finished && atEnd);
            }
        }
        if (subscription.finished && subscription.position >= size) {
            end(subscription);
        } else if (now - subscription.sentAt > KEEPALIVE_MILLIS) {
            subscription.emitter.send(SseEmitter.event().comment("keep-alive"));
            subscription.sentAt = now;
        }
    }

    /** Sends the complete lines of {@code bytes}; a trailing partial line waits for its newline, unless the log is over. */
    private static void send(Subscription subscription, byte[] bytes, boolean flushPartial) throws IOException {
        long base = subscription.position;
        // all of a tick's lines go out in one write and one flush: a flush per line per viewer made the lag's tail
        Set<ResponseBodyEmitter.DataWithMediaType> batch = new LinkedHashSet<>();
        int lineStart = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                event(subscription, batch, base, bytes, lineStart, i, i + 1);
                lineStart = i + 1;
            }
        }
        if (flushPartial && lineStart < bytes.length) {
            event(subscription, batch, base, bytes, lineStart, bytes.length, bytes.length);
            lineStart = bytes.length;
        }
        if (lineStart == 0 && bytes.length == MAX_READ_PER_TICK) {
            // a single line longer than a tick's read: send it in pieces rather than stall
            int cut = Utf8.completeLength(bytes);
            event(subscription, batch, base, bytes, 0, cut, cut);
        }
        if (!batch.isEmpty()) {
            subscription.emitter.send(batch);
            subscription.sentAt = System.currentTimeMillis();
        }
    }

    /** One line as one event, its id the byte offset after it; {@code base} is the file offset of {@code bytes[0]}. */
    private static void event(Subscription subscription, Set<ResponseBodyEmitter.DataWithMediaType> batch, long base,
                              byte[] bytes, int from, int to, int consumed) {
        String line = Utf8.visible(new String(bytes, from, to - from, StandardCharsets.UTF_8));
        long eventId = base + consumed;
        batch.addAll(SseEmitter.event().id(Long.toString(eventId)).name("log").data(line).build());
        subscription.position = eventId;
    }

    /** The run's changes since this viewer last heard, one event each; the task's own row first. */
    private void sendChanges(Subscription subscription, Task task, List<TaskLoop> taskLoops) throws IOException {
        Set<ResponseBodyEmitter.DataWithMediaType> batch = new LinkedHashSet<>();
        if (task.status() != subscription.status) {
            batch.addAll(SseEmitter.event().name("status").data(json(task)).build());
            subscription.status = task.status();
        }
        if (!Objects.equals(task.progress(), subscription.progress)) {
            batch.addAll(SseEmitter.event().name("progress").data(json(task.progress())).build());
            subscription.progress = task.progress();
        }
        if (!Objects.equals(task.metrics(), subscription.metrics)) {
            batch.addAll(SseEmitter.event().name("metrics").data(json(task.metrics())).build());
            subscription.metrics = task.metrics();
        }
        if (!Objects.equals(task.cost(), subscription.cost)) {
            batch.addAll(SseEmitter.event().name("cost").data(json(task.cost())).build());
            subscription.cost = task.cost();
        }
        for (TaskLoop loop : taskLoops) {
            // compared per loop, not against a high-water mark: a write that commits late still goes out
            if (!loop.updatedAt().equals(subscription.loopsSent.put(loop.loop(), loop.updatedAt()))) {
                batch.addAll(SseEmitter.event().name("loop").data(json(loop)).build());
            }
        }
        if (!batch.isEmpty()) {
            subscription.emitter.send(batch);
            subscription.sentAt = System.currentTimeMillis();
        }
    }

    private String json(Object value) throws IOException {
        return objectMapper.writeValueAsString(value);
    }

    private void end(Subscription subscription) throws IOException {
        subscriptions.remove(subscription);
        subscription.emitter.send(SseEmitter.event().name("end").data(Long.toString(subscription.position)));
        subscription.emitter.complete();
    }

    @PreDestroy
    void stop() {
        follower.shutdownNow();
        subscriptions.forEach(s -> s.emitter.complete());
    }
}
