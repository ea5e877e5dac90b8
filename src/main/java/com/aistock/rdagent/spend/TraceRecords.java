package com.aistock.rdagent.spend;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where RD-Agent's {@code token_cost} records are in a trace folder ({@code LOG_TRACE_PATH}):
 * {@code Loop_<i>/<step>[/evo_loop_<k>…]/token_cost/<pid>/<UTC time>.pkl}, or outside any loop
 * ({@code token_cost/<pid>/…}) for calls made before the first one. Session checkpoints are never looked into.
 */
final class TraceRecords {

    private static final Pattern LOOP = Pattern.compile("Loop_(\\d{1,9})");
    static final String TAG = "token_cost";
    private static final Pattern TIME = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})_(\\d{2}-\\d{2}-\\d{2})-(\\d{6})\\.pkl");

    /**
     * A record's place: its path relative to the trace folder (its identity), loop and step, and when RD-Agent made
     * the call (the file's name, UTC; null when the name says nothing) so spend counts on the day it was made.
     */
    record Place(String path, Integer loop, String step, OffsetDateTime calledAt) {

        static Place of(Path relative) {
            String first = relative.getName(0).toString();
            OffsetDateTime calledAt = calledAt(relative.getFileName().toString());
            Matcher loop = LOOP.matcher(first);
            if (loop.matches()) {
                String step = relative.getName(1).toString();
                return new Place(relative.toString(), Integer.valueOf(loop.group(1)), TAG.equals(step) ? null : step,
                        calledAt);
            }
            return new Place(relative.toString(), null, TAG.equals(first) ? null : first, calledAt);
        }

        /** RD-Agent names a record {@code %Y-%m-%d_%H-%M-%S-%f.pkl}, in UTC. */
        private static OffsetDateTime calledAt(String name) {
            Matcher time = TIME.matcher(name);
            if (!time.matches()) {
                return null;
            }
            try {
                return LocalDateTime.parse(time.group(1) + "T" + time.group(2).replace('-', ':') + "." + time.group(3))
                        .atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }

    private TraceRecords() {
    }

    /** The record files under the trace folder not in {@code known} (relative paths), oldest folders first. */
    static List<Path> newFiles(Path trace, Set<String> known) throws IOException {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(trace)) {
            return found;
        }
        try {
            Files.walkFileTree(trace, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return dir.getFileName().toString().equals("__session__") ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    Path pidFolder = file.getParent();
                    if (attrs.isRegularFile() && file.getFileName().toString().endsWith(".pkl")
                            && pidFolder.getParent() != null
                            && TAG.equals(pidFolder.getParent().getFileName().toString())
                            && !known.contains(trace.relativize(file).toString())) {
                        found.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // gone meanwhile, or unreadable: the next pass sees
                }
            });
        } catch (NoSuchFileException e) {
            // the workspace went away under the walk
        }
        return found;
    }
}
