package com.aistock.rdagent.run;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run as RD-Agent writes it, read a little further at each call: {@code run.log} for the loop and step markers,
 * the runner's messages and the experiment workspaces it names (its {@code Run Info} tables show each
 * workspace's path), and {@code ws/} for each experiment's {@code qlib_res.csv} and {@code ret.pkl}. The same
 * reading serves the live view ({@link #advance()} every tick) and the end of the run ({@link #finish()} reads the
 * rest), so both name the same loops; a reading begun from nothing, after a restart, rebuilds the same from the
 * files. A workspace the log never names is given the loop whose steps were under way when its results were
 * written.
 */
public final class RunReading {

    static final int MAX_READ_PER_CALL = 16 << 20;
    private static final int MAX_CARRY = 64 << 10;
    private static final Pattern MARKER = Pattern.compile("Start Loop (\\d+), Step (\\d+): (\\w+)");
    private static final Pattern BAR = Pattern.compile("loop_index=(\\d+), step_index=(\\d+), step_name=(\\w+)");
    private static final Pattern TIME = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}) \\|");
    private static final DateTimeFormatter LOGURU = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final Pattern START_MODEL = Pattern.compile("start to run .* model");

    /** Where RD-Agent is, by its latest marker (or its progress bar until the first marker). */
    public record Position(Integer loop, Integer step, String stepName) {
    }

    private record Mention(int loop, String kind) {
    }

    private record Mark(Instant at, int loop) {
    }

    /** What was last seen of an experiment's files and of the log's word on it: any change reads it again. */
    private record Seen(long csvModified, long csvSize, long pklModified, long curveModified, Mention mention) {
    }

    private final Workspace workspace;
    private final Pattern workspaceName;
    private final String wsPrefix;
    private long offset;
    private String carry = "";
    private boolean sawMarker;
    private Integer loop;
    private Integer step;
    private String stepName;
    /** The runner's last word on what it is running in the current loop. */
    private String kindHint;
    private final List<Mark> marks = new ArrayList<>();
    private final Map<String, Mention> mentions = new HashMap<>();
    private final Map<String, Seen> seen = new HashMap<>();
    private final Map<String, Experiment> experiments = new LinkedHashMap<>();

    public RunReading(Workspace workspace) {
        this.workspace = workspace;
        // the log is decoded byte for byte: a path with non-ASCII letters must be matched in the same form
        this.wsPrefix = new String((workspace.ws() + "/").getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        this.workspaceName = Pattern.compile(Pattern.quote(wsPrefix) + "([0-9A-Za-z_-]{8,64})");
    }

    public Workspace workspace() {
        return workspace;
    }

    /** Reads what the log and the workspaces gained; answers the experiments that are new or changed. */
    public synchronized List<Experiment> advance() throws IOException {
        readLog(MAX_READ_PER_CALL);
        return scanExperiments();
    }

    /** Reads the whole rest of the log and every workspace: the run is over. */
    public synchronized List<Experiment> finish() throws IOException {
        while (readLog(MAX_READ_PER_CALL) == MAX_READ_PER_CALL) {
            // the log grew faster than the live reading followed
        }
        scanExperiments();
        return experiments();
    }

    public synchronized Position position() {
        return new Position(loop, step, stepName);
    }

    /** Every experiment found so far, oldest first. */
    public synchronized List<Experiment> experiments() {
        return experiments.values().stream().sorted(Comparator.comparing(Experiment::finishedAt)).toList();
    }

    private int readLog(int max) throws IOException {
        Path log = workspace.runLog();
        if (!Files.exists(log)) {
            return 0;
        }
        byte[] bytes;
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long available = file.length() - offset;
            if (available <= 0) {
                return 0;
            }
            bytes = new byte[(int) Math.min(available, max)];
            file.seek(offset);
            file.readFully(bytes);
        }
        offset += bytes.length;
        // markers and paths are ASCII: a byte-for-byte decoding finds them whatever else the log holds
        String text = carry + new String(bytes, StandardCharsets.ISO_8859_1);
        int lineStart = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                line(text, lineStart, i);
                lineStart = i + 1;
            }
        }
        String rest = text.substring(lineStart);
        carry = rest.length() > MAX_CARRY ? "" : rest;
        return bytes.length;
    }

    private void line(String text, int from, int to) {
        if (to - from < 10) {
            return;
        }
        String line = text.substring(from, to);
        if (line.contains("Start Loop ")) {
            Matcher marker = MARKER.matcher(line);
            if (marker.find()) {
                sawMarker = true;
                loop = Integer.valueOf(marker.group(1));
                step = Integer.valueOf(marker.group(2));
                stepName = marker.group(3);
                if (step == 0) {
                    kindHint = null;
                }
                Instant at = time(line);
                if (at != null) {
                    marks.add(new Mark(at, loop));
                }
                return;
            }
        }
        if (!sawMarker && line.contains("loop_index=")) {
            Matcher bar = BAR.matcher(line);
            while (bar.find()) {
                loop = Integer.valueOf(bar.group(1));
                step = Integer.valueOf(bar.group(2));
                stepName = bar.group(3);
            }
        }
        if (line.contains("Baseline experiment execution")) {
            kindHint = Experiment.BASELINE;
        } else if (line.contains("New factor processing") || line.contains("SOTA factor processing")) {
            kindHint = "factor";
        } else if (line.contains("start to run ") && START_MODEL.matcher(line).find()) {
            kindHint = "model";
        }
        if (loop != null && line.contains(wsPrefix)) {
            Matcher named = workspaceName.matcher(line);
            while (named.find()) {
                mentions.putIfAbsent(named.group(1), new Mention(loop, kindHint));
            }
        }
    }

    private static Instant time(String line) {
        Matcher matcher = TIME.matcher(line);
        if (!matcher.find()) {
            return null;
        }
        try {
            // loguru writes local time without a zone: the run's machine is this one
            return LocalDateTime.parse(matcher.group(1), LOGURU).atZone(ZoneId.systemDefault()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private List<Experiment> scanExperiments() throws IOException {
        Path ws = workspace.ws();
        if (!Files.isDirectory(ws)) {
            return List.of();
        }
        List<Experiment> changed = new ArrayList<>();
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(ws, Files::isDirectory)) {
            for (Path folder : folders) {
                Path csv = folder.resolve("qlib_res.csv");
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(csv, BasicFileAttributes.class);
                } catch (IOException none) {
                    continue;
                }
                String name = folder.getFileName().toString();
                Seen now = new Seen(attributes.lastModifiedTime().toMillis(), attributes.size(),
                        modified(folder.resolve("ret.pkl")), modified(folder.resolve("ret.csv")), mentions.get(name));
                Experiment known = experiments.get(name);
                if (known != null && now.equals(seen.get(name)) && Objects.equals(known.loop(), loopOf(name, known.finishedAt()))) {
                    continue;
                }
                QlibResults results = QlibResults.parse(csv);
                if (results.isEmpty()) {
                    continue; // still being written, or not a result at all
                }
                Instant finishedAt = attributes.lastModifiedTime().toInstant();
                Mention mention = mentions.get(name);
                String kind = mention != null && mention.kind() != null ? mention.kind()
                        : Files.exists(folder.resolve("model.py")) ? "model" : "factor";
                boolean curve = now.curveModified() > 0 && now.curveModified() >= now.pklModified();
                Experiment experiment = new Experiment(name, folder, loopOf(name, finishedAt), kind, results.metrics(),
                        results.nonFinite(), finishedAt, curve);
                seen.put(name, now);
                if (!experiment.equals(known)) {
                    experiments.put(name, experiment);
                    changed.add(experiment);
                }
            }
        }
        return changed;
    }

    private Integer loopOf(String name, Instant finishedAt) {
        Mention mention = mentions.get(name);
        if (mention != null) {
            return mention.loop();
        }
        Integer found = null;
        for (Mark mark : marks) {
            if (!mark.at().isAfter(finishedAt)) {
                found = mark.loop();
            }
        }
        return found;
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException absent) {
            return 0;
        }
    }
}
