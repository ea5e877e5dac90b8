package com.aistock.rdagent.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;

import com.aistock.rdagent.system.ApiError;
import com.aistock.rdagent.system.Hashes;
import com.aistock.rdagent.system.SchedulerMetrics;
import com.aistock.rdagent.system.SchedulerProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Where files taken from the inbox go: {@code .done/yyyyMMdd/} and {@code .error/}, each under a name no earlier
 * file has there (a second {@code pool.txt} becomes {@code pool (2).txt}, never replacing the first), and beside a
 * refused file its reason, under a name any file system takes whatever the file was called.
 */
@Component
class InboxFolder {

    /** The longest file name Linux file systems take, in bytes. */
    static final int MAX_NAME_BYTES = 255;
    static final String REASON_SUFFIX = ".error.txt";
    private static final Logger log = LoggerFactory.getLogger(InboxFolder.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final Pattern UNSAFE = Pattern.compile("[\\p{Cc}\\p{Cs}\\u202A-\\u202E\\u2066-\\u2069\\uFFFD/\\\\]");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchedulerProperties properties;
    private final SchedulerMetrics metrics;

    InboxFolder(SchedulerProperties properties, SchedulerMetrics metrics) {
        this.properties = properties;
        this.metrics = metrics;
    }

    Path root() {
        return properties.inbox();
    }

    /** {@code .done/yyyyMMdd/}, as a path relative to the inbox. */
    static String doneFolder() {
        return ".done/" + DAY.format(LocalDate.now());
    }

    static String errorFolder() {
        return ".error";
    }

    /** {@code name}, or else {@code stem (2).ext}, {@code stem (3).ext}…: the first name no file in {@code folder} has. */
    String freeName(String folder, String name) {
        Path dir = root().resolve(folder);
        if (!Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        for (int n = 2; ; n++) {
            String candidate = fit(stem, " (" + n + ")" + extension);
            if (!Files.exists(dir.resolve(candidate), LinkOption.NOFOLLOW_LINKS)) {
                return candidate;
            }
        }
    }

    /** {@code base}, cut at a character, followed by {@code suffix}, within {@link #MAX_NAME_BYTES} bytes of UTF-8. */
    static String fit(String base, String suffix) {
        int room = MAX_NAME_BYTES - bytes(suffix);
        int end = base.length();
        while (bytes(base.substring(0, end)) > room) {
            end = base.offsetByCodePoints(end, -1);
        }
        return base.substring(0, end) + suffix;
    }

    static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * The reason file's name for a file set aside as {@code movedName}: the same with {@code .error.txt}, or when
     * that name would hold control characters or not fit, a cleaned and shortened one with a hash of the original,
     * so two reason files never meet.
     */
    static String reasonName(String movedName) {
        String safe = UNSAFE.matcher(movedName).replaceAll("_");
        if (safe.equals(movedName) && bytes(safe + REASON_SUFFIX) <= MAX_NAME_BYTES) {
            return safe + REASON_SUFFIX;
        }
        return fit(safe, "~" + Hashes.sha256(movedName.getBytes(StandardCharsets.UTF_8)).substring(0, 8) + REASON_SUFFIX);
    }

    /** A file name as reason files and log lines show it: a JSON string, so no character in it can break a line. */
    static String quoted(String name) {
        try {
            return JSON.writeValueAsString(name);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of a reason file: what the API would have answered for the same content. */
    static String reason(String shownName, String error, String field, String message, List<ApiError.LineProblem> lines) {
        StringBuilder text = new StringBuilder("file: ").append(shownName).append('\n')
                .append("error: ").append(error).append('\n');
        if (field != null) {
            text.append("field: ").append(field).append('\n');
        }
        text.append("message: ").append(message).append('\n');
        if (lines != null) {
            lines.forEach(line -> text.append("line ").append(line.line()).append(": ").append(line.message()).append('\n'));
        }
        return text.toString();
    }

    /** Moves a file (a link itself, never its target) into {@code folder} as {@code name} or a free variant of it. */
    String move(Path file, String folder, String name) throws IOException {
        Path dir = Files.createDirectories(root().resolve(folder));
        String target = freeName(folder, name);
        Files.move(file, dir.resolve(target), StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** Writes {@code .error/<reason name>} whole or not at all. */
    void writeReason(String movedName, String text) throws IOException {
        Path folder = Files.createDirectories(root().resolve(errorFolder()));
        Path temp = Files.createTempFile(folder, ".reason-", ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, folder.resolve(reasonName(movedName)), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Moves a file the inbox must never read (a link, a device, a name it cannot address) to {@code .error/} as
     * {@code movedName} or a free variant, then writes its reason. A rename moves a link itself, never its target.
     * When another node moved it first, nothing happens.
     *
     * @param shownName how the reason file names the original
     * @return where it went, or null when it was gone already
     */
    String setAside(Path file, String movedName, String shownName, String message) throws IOException {
        String target;
        try {
            target = move(file, errorFolder(), movedName);
        } catch (NoSuchFileException e) {
            return null;
        }
        writeReason(target, reason(shownName, "unprocessable", "file", message, null));
        metrics.inboxFile("rejected");
        log.warn("Inbox file {} set aside in .error/: {}", shownName, message);
        return target;
    }
}
