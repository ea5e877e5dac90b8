package com.aistock.rdagent.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The baselines' side: the same RD-Agent command started straight from a {@link ProcessBuilder}. */
final class Processes {

    private static final DateTimeFormatter LOGURU = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private Processes() {
    }

    /** One bare run: how long {@code start()} took, when it began, and the output file. */
    record BareRun(double startMillis, Instant started, Path log) {
    }

    /**
     * Starts {@code command} as the service does (own session, cwd = a fresh folder, output appended to a file by
     * the OS) and waits for it.
     */
    static BareRun run(List<String> command, Path folder, Map<String, String> env) throws IOException, InterruptedException {
        Files.createDirectories(folder);
        List<String> argv = new ArrayList<>();
        argv.add("setsid");
        argv.addAll(command);
        Path log = folder.resolve("run.log");
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(folder.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
        builder.environment().put("LOG_TRACE_PATH", folder.resolve("log").toString());
        builder.environment().put("WORKSPACE_PATH", folder.resolve("ws").toString());
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Process process = builder.start();
        double startMillis = (System.nanoTime() - t0) / 1e6;
        process.waitFor();
        return new BareRun(startMillis, started, log);
    }

    /** The loguru timestamp of a log's first line. */
    static Instant firstLine(Path log) throws IOException {
        try (var lines = Files.lines(log)) {
            String first = lines.findFirst().orElseThrow(() -> new IllegalStateException(log + " is empty"));
            return loguru(first);
        }
    }

    /** The time a loguru line was printed; null for lines without one (a progress bar, LLM chatter). */
    static Instant loguru(String line) {
        int at = line.indexOf(" | ");
        if (at < 23) {
            return null;
        }
        try {
            return LocalDateTime.parse(line.substring(at - 23, at), LOGURU).atZone(ZoneId.systemDefault()).toInstant();
        } catch (RuntimeException notATimestamp) {
            return null;
        }
    }

    static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (var paths = Files.walk(folder)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
