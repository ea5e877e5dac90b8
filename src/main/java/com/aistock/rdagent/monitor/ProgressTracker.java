package com.aistock.rdagent.monitor;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.aistock.rdagent.run.RunRegistry;
import com.aistock.rdagent.run.RunReport;
import com.aistock.rdagent.system.SqlFiles;
import com.aistock.rdagent.task.RdAgentDuration;
import com.aistock.rdagent.task.TaskStatus;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Follows each running task's {@code run.log} for RD-Agent's loop markers ({@code Start Loop li, Step si: name},
 * or the tqdm bar's postfix until the first marker) and keeps the task's progress, written at most once a tick.
 */
@Component("progressTracker")
public class ProgressTracker {

    static final int STEPS_PER_LOOP = 5;
    private static final int MAX_READ_PER_TICK = 16 << 20;
    private static final int MAX_CARRY = 64 << 10;
    private static final Pattern MARKER = Pattern.compile("Start Loop (\\d+), Step (\\d+): (\\w+)");
    private static final Pattern BAR = Pattern.compile("loop_index=(\\d+), step_index=(\\d+), step_name=(\\w+)");

    private final RunRegistry registry;
    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper objectMapper;
    private final Map<Long, Scan> scans = new ConcurrentHashMap<>();

    public ProgressTracker(RunRegistry registry, NamedParameterJdbcTemplate jdbc, ObjectMapper objectMapper) {
        this.registry = registry;
        this.jdbc = jdbc;
        this.objectMapper = objectMapper;
    }

    /** What has been read of one log so far. */
    private static final class Scan {
        long offset;
        String carry = "";
        boolean sawMarker;
        Integer loop;
        Integer step;
        String stepName;
        Progress saved;
    }

    /** One tick: read what each running log gained and store any change. */
    public void update() {
        for (long taskId : registry.activeTaskIds()) {
            RunRegistry.ActiveRun run = registry.forTask(taskId);
            if (run != null && run.pid() != null) {
                update(run, null);
            }
        }
        scans.keySet().retainAll(registry.activeTaskIds());
    }

    /** The last word on a finished run: 100% when it succeeded, its last position otherwise. */
    public void complete(RunReport report) {
        RunRegistry.ActiveRun run = registry.forTask(report.taskId());
        if (run != null) {
            update(run, report.status());
        }
        scans.remove(report.taskId());
    }

    private void update(RunRegistry.ActiveRun run, TaskStatus finished) {
        long taskId = run.spec().taskId();
        Scan scan = scans.computeIfAbsent(taskId, id -> new Scan());
        try {
            readNew(run.spec().workspace().runLog(), scan);
        } catch (IOException e) {
            return; // the next tick reads again
        }
        Progress progress = progress(scan, run.spec().loopN(), run.spec().allDuration(), run.startedAt(), finished);
        if (progress != null && (scan.saved == null || !sameProgress(scan.saved, progress))) {
            try {
                jdbc.update(SqlFiles.load("task-progress"), Map.of("id", taskId, "attempt", run.spec().attempt(),
                        "progress", objectMapper.writeValueAsString(progress)));
                scan.saved = progress;
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void readNew(Path log, Scan scan) throws IOException {
        if (!Files.exists(log)) {
            return;
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long available = file.length() - scan.offset;
            if (available <= 0) {
                return;
            }
            byte[] bytes = new byte[(int) Math.min(available, MAX_READ_PER_TICK)];
            file.seek(scan.offset);
            file.readFully(bytes);
            scan.offset += bytes.length;
            // markers are ASCII: a byte-for-byte decoding finds them whatever else the log holds
            String text = scan.carry + new String(bytes, StandardCharsets.ISO_8859_1);
            Matcher marker = MARKER.matcher(text);
            while (marker.find()) {
                scan.sawMarker = true;
                scan.loop = Integer.valueOf(marker.group(1));
                scan.step = Integer.valueOf(marker.group(2));
                scan.stepName = marker.group(3);
            }
            if (!scan.sawMarker) {
                Matcher bar = BAR.matcher(text);
                while (bar.find()) {
                    scan.loop = Integer.valueOf(bar.group(1));
                    scan.step = Integer.valueOf(bar.group(2));
                    scan.stepName = bar.group(3);
                }
            }
            int lastLine = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
            String rest = text.substring(lastLine + 1);
            scan.carry = rest.length() > MAX_CARRY ? "" : rest;
        }
    }

    private static Progress progress(Scan scan, Integer loopN, String allDuration, OffsetDateTime startedAt,
                                     TaskStatus finished) {
        if (scan.loop == null && finished != TaskStatus.SUCCEEDED) {
            return null;
        }
        Double percent = null;
        if (finished == TaskStatus.SUCCEEDED) {
            percent = 100.0;
        } else if (loopN != null) {
            percent = Math.min(99.0, 100.0 * (scan.loop * STEPS_PER_LOOP + scan.step) / (loopN * STEPS_PER_LOOP));
        } else if (allDuration != null && startedAt != null) {
            double elapsed = Duration.between(startedAt, OffsetDateTime.now()).toMillis();
            percent = Math.min(99.0, 100.0 * elapsed / RdAgentDuration.parse(allDuration).toMillis());
        }
        if (percent != null) {
            percent = Math.round(percent * 10) / 10.0;
        }
        return new Progress(scan.loop, loopN, scan.step, scan.stepName, percent, OffsetDateTime.now());
    }

    private static boolean sameProgress(Progress a, Progress b) {
        return java.util.Objects.equals(a.loop(), b.loop()) && java.util.Objects.equals(a.step(), b.step())
                && java.util.Objects.equals(a.percent(), b.percent());
    }
}
