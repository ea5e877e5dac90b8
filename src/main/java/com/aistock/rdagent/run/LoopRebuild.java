package com.aistock.rdagent.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.aistock.rdagent.system.JsonColumns;
import org.springframework.stereotype.Component;

/**
 * Completes a finished run's loop table. RD-Agent's per-loop events reach only a scheduler that listens on the port
 * the run was given, so loops that ran while the node was down (or after it came back on another port) have no row:
 * each loop that run.log shows starting ({@code Start Loop li, Step si}, with loguru's timestamp) gets one, with the
 * metrics of the experiment workspace whose {@code qlib_res.csv} was written during that loop.
 */
@Component
public class LoopRebuild {

    private static final String MARKER = "Start Loop ";
    private static final Pattern LOOP = Pattern.compile("\\GStart Loop (\\d+), Step \\d+: ");
    /** loguru's default line start, right before the message: {@code time | LEVEL | module:function:line - }. */
    private static final Pattern STAMP = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}) \\| \\w+ *\\| \\S+ - $");
    private static final DateTimeFormatter LOGURU = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final int CHUNK = 1 << 20;
    private static final int LOOK_BACK = 200;

    private final LoopStore loops;
    private final JsonColumns columns;

    public LoopRebuild(LoopStore loops, JsonColumns columns) {
        this.loops = loops;
        this.columns = columns;
    }

    public void rebuild(long taskId, Path runLog, List<Experiment> experiments) throws IOException {
        Map<Integer, OffsetDateTime> starts = loopStarts(runLog);
        Map<Integer, TaskLoop> known = loops.list(taskId).stream()
                .collect(Collectors.toMap(TaskLoop::loop, Function.identity()));
        List<Integer> order = new ArrayList<>(starts.keySet());
        for (int i = 0; i < order.size(); i++) {
            int loop = order.get(i);
            TaskLoop row = known.get(loop);
            OffsetDateTime start = starts.get(loop);
            OffsetDateTime next = i + 1 < order.size() ? starts.get(order.get(i + 1)) : null;
            Experiment experiment = start == null ? null : ranDuring(experiments, start.toInstant(),
                    next == null ? null : next.toInstant());
            if (row == null || row.metrics() == null && experiment != null) {
                loops.rebuild(taskId, loop, start, experiment == null ? null : columns.write(experiment.metrics()));
            }
        }
    }

    /** The last experiment whose results were written between a loop's start and the next loop's. */
    private static Experiment ranDuring(List<Experiment> experiments, Instant from, Instant until) {
        Experiment found = null;
        for (Experiment experiment : experiments) {
            if (!experiment.finishedAt().isBefore(from) && (until == null || experiment.finishedAt().isBefore(until))) {
                found = experiment;
            }
        }
        return found;
    }

    /** loguru writes local time without a zone: RD-Agent runs here, in this JVM's zone. */
    private static OffsetDateTime localTime(String stamp) {
        return LocalDateTime.parse(stamp, LOGURU).atZone(ZoneId.systemDefault()).toOffsetDateTime();
    }

    /** Each loop's first step marker, by loop, with its time when the line carries loguru's timestamp. */
    static Map<Integer, OffsetDateTime> loopStarts(Path runLog) throws IOException {
        Map<Integer, OffsetDateTime> starts = new TreeMap<>();
        if (!Files.exists(runLog)) {
            return starts;
        }
        try (InputStream in = Files.newInputStream(runLog)) {
            byte[] buffer = new byte[CHUNK];
            String carry = "";
            int read;
            while ((read = in.readNBytes(buffer, 0, CHUNK)) > 0) {
                // markers are ASCII: a byte-for-byte decoding finds them whatever else the log holds
                String text = carry + new String(buffer, 0, read, StandardCharsets.ISO_8859_1);
                for (int at = text.indexOf(MARKER); at >= 0; at = text.indexOf(MARKER, at + 1)) {
                    Matcher loop = LOOP.matcher(text);
                    if (loop.find(at) && !starts.containsKey(Integer.valueOf(loop.group(1)))) {
                        Matcher stamp = STAMP.matcher(text.substring(Math.max(0, at - LOOK_BACK), at));
                        starts.put(Integer.valueOf(loop.group(1)), stamp.find() ? localTime(stamp.group(1)) : null);
                    }
                }
                carry = text.substring(Math.max(0, text.length() - LOOK_BACK - 64));
            }
        }
        return starts;
    }
}
