package com.aistock.rdagent.retention;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.aistock.rdagent.system.SchedulerProperties;
import com.aistock.rdagent.system.SqlFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * Retention: deletes old history versions, outbox archives and task workspaces, never what a pending or
 * running task still uses, and never the version a managed file holds now. Age is the newest
 * modification time anywhere in a folder, so a folder something still writes to is never old.
 */
@Component("retentionCleaner")
public class RetentionCleaner {

    private static final Logger log = LoggerFactory.getLogger(RetentionCleaner.class);

    private final RetentionProperties retention;
    private final SchedulerProperties properties;
    private final NamedParameterJdbcTemplate jdbc;

    public RetentionCleaner(RetentionProperties retention, SchedulerProperties properties,
                            NamedParameterJdbcTemplate jdbc) {
        this.retention = retention;
        this.properties = properties;
        this.jdbc = jdbc;
    }

    /** History and outbox: shared storage, cleaned by one node of the cluster. */
    public void cleanShared() throws IOException {
        if (retention.historyDays() != null) {
            deleteHistory(Duration.ofDays(retention.historyDays()));
        }
        deleteOutbox(Duration.ofDays(retention.outboxDays()));
    }

    /** This node's own workspaces. */
    public void cleanWorkspaces() throws IOException {
        deleteWorkspaces(Duration.ofDays(retention.workspaceDays()));
    }

    private record Version(String kind, long id, String historyPath, String sha256) {
    }

    /**
     * Deletes template and .env history versions replaced more than {@code maxAge} ago, with their copies in
     * {@code history/}, except those a schedule pins or a pending/running task was snapshotted from; what a file
     * holds now and imported legacy backups are never deleted.
     *
     * @return how many versions were deleted
     */
    public int deleteHistory(Duration maxAge) {
        OffsetDateTime cutoff = OffsetDateTime.now().minus(maxAge);
        List<Version> doomed = new ArrayList<>();
        jdbc.query(SqlFiles.load("retention-history-versions"), Map.of(), rs -> {
            if (!rs.getBoolean("in_use") && rs.getObject("aged_from", OffsetDateTime.class).isBefore(cutoff)) {
                doomed.add(new Version(rs.getString("kind"), rs.getLong("id"), rs.getString("history_path"),
                        rs.getString("sha256")));
            }
        });
        jdbc.update(SqlFiles.load("retention-history-delete"), new MapSqlParameterSource()
                .addValue("templateIds", ids(doomed, "template"))
                .addValue("envIds", ids(doomed, "env")));
        for (Version version : doomed) {
            if (version.historyPath() != null) {
                deleteInside(properties.history(), properties.history().resolve(version.historyPath()));
            }
        }
        // the .env's versions are kept as owner-only files by content: a content no version has any more goes
        Set<String> kept = new HashSet<>(jdbc.queryForList(SqlFiles.load("retention-env-contents"), Map.of(), String.class));
        doomed.stream().filter(v -> v.kind().equals("env") && v.sha256() != null && !kept.contains(v.sha256()))
                .forEach(v -> deleteInside(properties.history(),
                        properties.history().resolve("versions").resolve(v.sha256() + ".env")));
        report(doomed.size(), "history version(s)", maxAge);
        return doomed.size();
    }

    /**
     * Deletes {@code outbox/{yyyyMMdd}/{task}/} archives untouched for {@code maxAge}, then emptied day folders.
     *
     * @return how many archives were deleted
     */
    public int deleteOutbox(Duration maxAge) throws IOException {
        FileTime cutoff = FileTime.from(Instant.now().minus(maxAge));
        int deleted = 0;
        for (Path day : children(properties.outbox())) {
            if (!day.getFileName().toString().matches("\\d{8}") || !Files.isDirectory(day)) {
                continue;
            }
            for (Path archive : children(day)) {
                if (!touchedSince(archive, cutoff)) {
                    FileSystemUtils.deleteRecursively(archive);
                    deleted++;
                }
            }
            deleteIfEmpty(day);
        }
        report(deleted, "outbox archive(s)", maxAge);
        return deleted;
    }

    /**
     * Deletes {@code work/tasks/{id}/} workspaces untouched for {@code maxAge}, except those a pending or running
     * task uses (its own, or the one it re-runs from).
     *
     * @return how many workspaces were deleted
     */
    public int deleteWorkspaces(Duration maxAge) throws IOException {
        FileTime cutoff = FileTime.from(Instant.now().minus(maxAge));
        Path tasks = properties.work().resolve("tasks");
        Set<Path> inUse = new HashSet<>();
        jdbc.query(SqlFiles.load("retention-workspaces-in-use"), Map.of(), rs -> {
            inUse.add(tasks.resolve(Long.toString(rs.getLong("id"))));
            String path = rs.getString("workspace_path");
            if (path != null) {
                inUse.add(Path.of(path).toAbsolutePath().normalize());
            }
        });
        int deleted = 0;
        for (Path workspace : children(tasks)) {
            if (!inUse.contains(workspace) && Files.isDirectory(workspace) && !touchedSince(workspace, cutoff)) {
                // never follows symbolic links: the overlay links into RD-Agent's own package
                FileSystemUtils.deleteRecursively(workspace);
                deleted++;
            }
        }
        report(deleted, "workspace(s)", maxAge);
        return deleted;
    }

    private static void report(int deleted, String what, Duration maxAge) {
        if (deleted > 0) {
            log.info("Retention: deleted {} {} older than {} days", deleted, what, maxAge.toDays());
        }
    }

    private static Long[] ids(List<Version> versions, String kind) {
        return versions.stream().filter(v -> v.kind().equals(kind)).map(Version::id).toArray(Long[]::new);
    }

    private static void deleteInside(Path root, Path file) {
        Path target = file.toAbsolutePath().normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            log.warn("Retention: history path {} is outside {}; left alone", file, root);
            return;
        }
        try {
            Files.deleteIfExists(target);
            deleteIfEmpty(target.getParent());
        } catch (IOException e) {
            log.warn("Retention: could not delete {}", target, e);
        }
    }

    private static void deleteIfEmpty(Path folder) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            if (!entries.iterator().hasNext()) {
                Files.delete(folder);
            }
        }
    }

    private static List<Path> children(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            entries.forEach(entry -> children.add(entry.toAbsolutePath().normalize()));
        }
        return children;
    }

    /** Whether anything in the tree (links not followed) was modified after {@code cutoff}. */
    private static boolean touchedSince(Path root, FileTime cutoff) throws IOException {
        boolean[] touched = {false};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return check(attrs);
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                return check(attrs);
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // vanished while walking
            }

            private FileVisitResult check(BasicFileAttributes attrs) {
                touched[0] = attrs.lastModifiedTime().compareTo(cutoff) > 0;
                return touched[0] ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
            }
        });
        return touched[0];
    }
}
