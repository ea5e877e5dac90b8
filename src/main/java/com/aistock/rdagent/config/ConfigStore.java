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
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.Hashes;
import com.aistock.rdagent.system.RdAgentInstallation;
import com.aistock.rdagent.system.SchedulerMetrics;
import com.aistock.rdagent.system.SchedulerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads and writes the managed files under {@code RDAGENT_HOME}. Every change is serialised per file, checked
 * against the sha256 the caller last saw, preceded by a backup of the current content in
 * {@code history/YYYYMMDD/} with its history row, and lands atomically (temp file, fsync, rename).
 */
@Service
public class ConfigStore {

    private static final Logger log = LoggerFactory.getLogger(ConfigStore.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final RdAgentInstallation installation;
    private final SchedulerProperties properties;
    private final ConfigHistory history;
    private final TransactionTemplate transaction;
    private final SchedulerMetrics metrics;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public ConfigStore(RdAgentInstallation installation, SchedulerProperties properties, ConfigHistory history,
                       TransactionTemplate transaction, SchedulerMetrics metrics) {
        this.installation = installation;
        this.properties = properties;
        this.history = history;
        this.transaction = transaction;
        this.metrics = metrics;
    }

    /** A managed file as it is now; a missing file reads as empty. */
    public record Current(byte[] content, String sha256, OffsetDateTime mtime, long size) {

        boolean exists() {
            return mtime != null;
        }
    }

    /** The answer to a change (SPEC 7.1): {@code historyId} is the backup of the replaced content. */
    public record Written(String file, String sha256, boolean changed, Long historyId) {
    }

    public Current read(ManagedFile file) {
        Path path = live(file);
        try {
            if (!Files.exists(path)) {
                return new Current(new byte[0], Hashes.sha256(new byte[0]), null, 0);
            }
            byte[] content = Files.readAllBytes(path);
            Instant mtime = Files.getLastModifiedTime(path).toInstant();
            return new Current(content, Hashes.sha256(content), OffsetDateTime.ofInstant(mtime, ZoneId.systemDefault()),
                    content.length);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path, e);
        }
    }

    /**
     * Replaces the file with {@code edit(current)} when its content still has {@code expectedSha256}. Content
     * equal to the current one writes nothing and records nothing.
     */
    public Written update(ManagedFile file, String expectedSha256, UnaryOperator<byte[]> edit, ConfigChange change) {
        return locked(file, () -> {
            Current current = read(file);
            byte[] content = edit.apply(current.content());
            if (Arrays.equals(content, current.content())) {
                return new Written(file.path(), current.sha256(), false, null);
            }
            if (!current.sha256().equals(expectedSha256)) {
                throw ApiException.conflict(file.path() + " has changed since it was read: its sha256 is now "
                        + current.sha256() + ", not " + expectedSha256 + "; reload it and apply the change again");
            }
            String sha256 = Hashes.sha256(content);
            // the row commits only once the new content is in place
            Long historyId = transaction.execute(status -> {
                Long backup = current.exists() ? backup(file, current, change) : null;
                replace(file, content);
                return backup;
            });
            metrics.configWritten(file.kind().name().toLowerCase(Locale.ROOT), change.action());
            log.info("{} {} by {}: sha256 {} -> {} (history {})", change.action(), file.path(), change.operator(),
                    current.sha256(), sha256, historyId);
            return new Written(file.path(), sha256, true, historyId);
        });
    }

    /**
     * Saves the current content when it differs from the newest saved version, for files that change outside
     * the scheduler (the read-only prompt files).
     */
    public void backupIfChanged(ManagedFile file, String operator) {
        locked(file, () -> {
            Current current = read(file);
            boolean seen = history.page(file.historyTable(), file.path(), 0, 1).stream()
                    .anyMatch(newest -> newest.sha256().equals(current.sha256()));
            return seen || !current.exists() ? null
                    : transaction.execute(status -> backup(file, current, ConfigChange.noticed(operator)));
        });
    }

    private <T> T locked(ManagedFile file, Supplier<T> action) {
        ReentrantLock lock = locks.computeIfAbsent(file.path(), path -> new ReentrantLock());
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** The saved content of a history version; empty when its file is gone from the history folder. */
    public Optional<byte[]> content(HistoryEntry entry) {
        Path path = properties.history().resolve(entry.historyPath()).normalize();
        if (!path.startsWith(properties.history()) || !Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path, e);
        }
    }

    private Path live(ManagedFile file) {
        return installation.home().resolve(file.path());
    }

    /** Copies the current content to {@code history/YYYYMMDD/{timestamp}_{taskId|manual}_{name}} and records it. */
    private long backup(ManagedFile file, Current current, ConfigChange change) {
        LocalDateTime now = LocalDateTime.now();
        String origin = change.taskId() == null ? "manual" : change.taskId().toString();
        Path day = properties.history().resolve(now.format(DAY));
        try {
            Files.createDirectories(day);
            // two backups in the same millisecond get -1, -2, ...: CREATE_NEW claims a name exactly once
            for (int n = 0; ; n++) {
                String name = now.format(TIMESTAMP) + (n == 0 ? "" : "-" + n) + "_" + origin + "_" + file.fileName();
                Path target = day.resolve(name);
                try {
                    writeDurably(target, current.content(), file.kind() == ManagedFile.Kind.ENV ? OWNER_ONLY : null);
                } catch (FileAlreadyExistsException taken) {
                    continue;
                }
                return history.insert(file.historyTable(), file.path(),
                        properties.history().relativize(target).toString(), current.sha256(), change);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot back up " + file.path(), e);
        }
    }

    /** Temp file in the same folder with the file's permissions, fsync, atomic rename, fsync of the folder. */
    private void replace(ManagedFile file, byte[] content) {
        Path target = live(file);
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            Set<PosixFilePermission> permissions = Files.exists(target) ? Files.getPosixFilePermissions(target)
                    : file.kind() == ManagedFile.Kind.ENV ? OWNER_ONLY : null;
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
    private static void writeDurably(Path path, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
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
