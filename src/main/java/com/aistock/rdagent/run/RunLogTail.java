package com.aistock.rdagent.run;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the end of {@code run.log} says: why RD-Agent stopped its loop, and the traceback of a failure. Only the
 * tail is read, however large the log has grown.
 */
record RunLogTail(String text) {

    private static final int TAIL_BYTES = 64 * 1024;
    private static final int ERROR_CHARS = 4000;
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-?]*[ -/]*[@-~]");
    private static final Pattern STOP = Pattern.compile("Reach stop criterion and stop loop: ([^\\r\\n]+)");

    static RunLogTail read(Path runLog) throws IOException {
        if (!Files.exists(runLog)) {
            return new RunLogTail("");
        }
        try (RandomAccessFile file = new RandomAccessFile(runLog.toFile(), "r")) {
            long start = Math.max(0, file.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8).replace('\r', '\n');
            return new RunLogTail(ANSI.matcher(text).replaceAll(""));
        }
    }

    /** {@code timer} for RD-Agent's own timer, {@code step_count} for --step-n, or null. */
    String stopReason() {
        Matcher matcher = STOP.matcher(text);
        String reason = null;
        while (matcher.find()) {
            reason = matcher.group(1).strip();
        }
        if (reason == null) {
            return null;
        }
        return switch (reason) {
            case "Timer timeout" -> "timer";
            case "Step count reached" -> "step_count";
            default -> reason;
        };
    }

    /** The last traceback, or else the last lines, bounded. */
    String errorTail() {
        int traceback = text.lastIndexOf("Traceback (most recent call last)");
        String tail = (traceback >= 0 ? text.substring(traceback) : text).strip();
        return tail.length() > ERROR_CHARS ? tail.substring(tail.length() - ERROR_CHARS) : tail;
    }
}
