package com.aistock.rdagent.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.UUID;

import com.aistock.rdagent.system.SchedulerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Files on disk: the copies in {@code history/YYYYMMDD/{timestamp}_{taskId|manual}_{name}} and the atomic
 * replacement of a live file (temp file with the file's permissions, fsync, rename, fsync of the folder).
 */
@Component
public class HistoryFiles {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Logger log = LoggerFactory.getLogger(HistoryFiles.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS");

    private final SchedulerProperties properties;

    public HistoryFiles(SchedulerProperties properties) {
        this.properties = properties;
    }

    /**
     * Copies {@code content} to {@code history/YYYYMMDD/{timestamp}_{origin}_{history name}}; two copies in the same
     * millisecond get {@code -1}, {@code -2}, ...: CREATE_NEW claims a name exactly once, across nodes too.
     *
     * @param origin the task id of the change, or {@code manual}
     * @return the copy's path relative to the history folder
     */
    public String copy(ManagedFile file, byte[] content, String origin, OffsetDateTime at) {
        LocalDateTime local = at.atZoneSameInstant(ZoneId.systemDefault()).toLocalDateTime();
        Path day = properties.history().resolve(local.format(DAY));
        try {
            Files.createDirectories(day);
            for (int n = 0; ; n++) {
                String name = local.format(TIMESTAMP) + (n == 0 ? "" : "-" + n) + "_" + origin + "_" + file.historyName();
                Path target = day.resolve(name);
                try {
                    writeDurably(target, content, file.kind() == ManagedFile.Kind.ENV ? OWNER_ONLY : null);
                } catch (FileAlreadyExistsException taken) {
                    continue;
                }
                return properties.history().relativize(target).toString();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot back up " + file.path(), e);
        }
    }

    /** Replaces {@code target} atomically; a new .env is owner-only, an existing file keeps its permissions. */
    static void replace(Path target, byte[] content, boolean ownerOnly) {
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            Set<PosixFilePermission> permissions = Files.exists(target) ? Files.getPosixFilePermissions(target)
                    : ownerOnly ? OWNER_ONLY : null;
            writeDurably(temp, content, permissions);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel folder = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
                folder.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + target, e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                log.warn("Cannot remove temporary file {}", temp, e);
            }
        }
    }

    /** Creates {@code path} (never overwriting) with {@code permissions} before any byte lands, then fsyncs. */
    static void writeDurably(Path path, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            if (permissions != null) {
                Files.setPosixFilePermissions(path, permissions);
            }
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }
}
