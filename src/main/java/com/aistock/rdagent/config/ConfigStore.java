package com.aistock.rdagent.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.Hashes;
import com.aistock.rdagent.system.RdAgentInstallation;
import com.aistock.rdagent.system.SchedulerMetrics;
import com.aistock.rdagent.system.SchedulerProperties;
import com.aistock.rdagent.system.SqlFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads and writes the managed files under {@code RDAGENT_HOME} and keeps their history of versions true to the
 * disk. Every look at a file, every change and every snapshot first reconciles: a file that changed outside the
 * service becomes a {@code drift} version, its last known content kept. Changes of one file are serialised on
 * every node (a lock in this JVM, then PostgreSQL's advisory lock of the file for the transaction), checked
 * against the sha256 the caller last saw, preceded by a copy of the current content in {@code history/}, and land
 * atomically.
 */
@Service
public class ConfigStore {

    private static final Logger log = LoggerFactory.getLogger(ConfigStore.class);

    private final RdAgentInstallation installation;
    private final SchedulerProperties properties;
    private final ConfigVersions versions;
    private final VersionContents contents;
    private final HistoryFiles historyFiles;
    private final TransactionTemplate transaction;
    private final NamedParameterJdbcTemplate jdbc;
    private final SchedulerMetrics metrics;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    /** The sha256 each file had when this node last reconciled it: an unchanged file needs no database. */
    private final Map<String, String> seen = new ConcurrentHashMap<>();

    public ConfigStore(RdAgentInstallation installation, SchedulerProperties properties, ConfigVersions versions,
                       VersionContents contents, HistoryFiles historyFiles, TransactionTemplate transaction,
                       NamedParameterJdbcTemplate jdbc, SchedulerMetrics metrics) {
        this.installation = installation;
        this.properties = properties;
        this.versions = versions;
        this.contents = contents;
        this.historyFiles = historyFiles;
        this.transaction = transaction;
        this.jdbc = jdbc;
        this.metrics = metrics;
    }

    /** A managed file as it is now; a missing file reads as empty. */
    public record Current(byte[] content, String sha256, OffsetDateTime mtime, long size) {

        boolean exists() {
            return mtime != null;
        }
    }

    /** A file's current version and the content the file has, read together under the file's lock. */
    public record Live(ManagedFile file, ConfigVersion version, Current current) {
    }

    /**
     * The answer to a change.
     *
     * @param versionId   the version the file holds now
     * @param historyId   the version this change replaced, whose copy is in {@code history/}; null when nothing
     *                    changed
     * @param validatedBy the engine that judged a template
     */
    public record Written(String file, String sha256, boolean changed, Long versionId, Long historyId,
                          String validatedBy) {

    }

    /**
     * One file's part of a change: its new content from its current one, if that still has {@code expectedSha256}.
     * {@code check} judges the new content under the file's lock, once it is known to land (a stale change costs
     * no check), and returns the engine that judged, or null; it refuses by throwing {@link ApiException}.
     */
    public record Edit(ManagedFile file, String expectedSha256, UnaryOperator<byte[]> edit,
                       Function<byte[], String> check) {

        public Edit(ManagedFile file, String expectedSha256, UnaryOperator<byte[]> edit) {
            this(file, expectedSha256, edit, content -> null);
        }
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

    /** Whether the file's content differs from what this node last reconciled (the watch's cheap test). */
    public boolean changedSinceSeen(ManagedFile file) {
        return !read(file).sha256().equals(seen.get(file.path()));
    }

    /**
     * The file's current version and content, after recording whatever changed on disk since the last look. Inside
     * a caller's transaction (a task's submission) it joins it: the file's lock is then held until that commits.
     */
    public Live observe(ManagedFile file) {
        boolean joined = TransactionSynchronizationManager.isActualTransactionActive();
        return locked(List.of(file), () -> {
            Live live = transaction.execute(status -> {
                versions.lock(file);
                return reconcile(file, OffsetDateTime.now());
            });
            if (!joined) {
                // a joined transaction may still roll back: the watch then looks again
                seen.put(file.path(), live.current().sha256());
            }
            return live;
        });
    }

    public Written update(Edit edit, ConfigChange change) {
        return update(List.of(edit), change).get(0);
    }

    /**
     * Replaces each file with its edit of the current content when every file still has its expected sha256; else
     * nothing is written (409). Content equal to the current one writes nothing and records nothing.
     */
    public List<Written> update(List<Edit> edits, ConfigChange change) {
        List<ManagedFile> files = edits.stream().map(Edit::file).distinct()
                .sorted(Comparator.comparing(ManagedFile::path)).toList();
        return locked(files, () -> {
            Outcome outcome = transaction.execute(status -> {
                OffsetDateTime now = OffsetDateTime.now();
                files.forEach(versions::lock);
                List<Planned> plans = new ArrayList<>();
                for (Edit edit : edits) {
                    Live live = reconcile(edit.file(), now);
                    byte[] content = edit.edit().apply(live.current().content());
                    boolean changes = !Arrays.equals(content, live.current().content());
                    if (changes && !live.current().sha256().equals(edit.expectedSha256())) {
                        // what reconcile recorded stays: a drift is a fact whatever this change becomes
                        return Outcome.refused(plans, ApiException.conflict(edit.file().path()
                                + " has changed since it was read: its sha256 is now " + live.current().sha256()
                                + ", not " + edit.expectedSha256() + "; reload it and apply the change again"));
                    }
                    try {
                        plans.add(new Planned(live, content, changes ? edit.check().apply(content) : null));
                    } catch (ApiException refused) {
                        return Outcome.refused(plans, refused);
                    }
                }
                return new Outcome(plans.stream().map(plan -> apply(plan, change, now)).toList(), plans, null);
            });
            outcome.plans().forEach(plan -> seen.put(plan.live().file().path(), Hashes.sha256(plan.content())));
            if (outcome.refused() != null) {
                throw outcome.refused();
            }
            return outcome.written();
        });
    }

    private record Planned(Live live, byte[] content, String validatedBy) {
    }

    /** @param plans what was reconciled, whether written or not */
    private record Outcome(List<Written> written, List<Planned> plans, ApiException refused) {

        static Outcome refused(List<Planned> plans, ApiException refused) {
            return new Outcome(List.of(), plans, refused);
        }
    }

    private Written apply(Planned plan, ConfigChange change, OffsetDateTime now) {
        ManagedFile file = plan.live().file();
        ConfigVersion before = plan.live().version();
        if (Arrays.equals(plan.content(), plan.live().current().content())) {
            return new Written(file.path(), plan.live().current().sha256(), false, before == null ? null : before.id(),
                    null, null);
        }
        if (before != null && before.sha256() != null && before.historyPath() == null) {
            // backup before write
            String origin = change.taskId() == null ? "manual" : change.taskId().toString();
            versions.copied(file, before.id(), historyFiles.copy(file, plan.live().current().content(), origin, now));
        }
        String sha256 = Hashes.sha256(plan.content());
        ConfigVersion written = record(file, plan.content(), sha256, change, now, before);
        // the version commits only once the new content is in place
        HistoryFiles.replace(live(file), plan.content(), file.kind() == ManagedFile.Kind.ENV);
        metrics.configWritten(file.kind().name().toLowerCase(java.util.Locale.ROOT), change.kind().value());
        log.info("{} {} by {}: sha256 {} -> {} (version {})", change.kind().value(), file.path(), change.operator(),
                plan.live().current().sha256(), sha256, written.id());
        return new Written(file.path(), sha256, true, written.id(), before == null ? null : before.id(),
                plan.validatedBy());
    }

    /**
     * Brings the history in line with the disk, under the file's lock: a file never seen gets its {@code initial}
     * version, a version migrated without content gets the live one, and a content nobody recorded becomes a
     * {@code drift} version. A missing file records nothing: it may be a checkout half done.
     */
    private Live reconcile(ManagedFile file, OffsetDateTime now) {
        Current current = read(file);
        Optional<ConfigVersion> newest = versions.newest(file);
        if (newest.isEmpty()) {
            ConfigVersion initial = current.exists() ? record(file, current.content(), current.sha256(),
                    ConfigChange.found(VersionKind.INITIAL, null), now, null) : null;
            return new Live(file, initial, current);
        }
        ConfigVersion version = newest.get();
        if (!current.exists() || current.sha256().equals(version.sha256())) {
            return new Live(file, version, current);
        }
        if (version.sha256() == null) {
            contents.save(file, current.sha256(), current.content());
            versions.fill(file, version.id(), current.sha256());
            return new Live(file, reload(file, version.id()), current);
        }
        if (version.historyPath() == null) {
            // the content it replaced is no longer on disk: its kept copy goes to history/ instead
            contents.load(file, version).ifPresentOrElse(
                    kept -> versions.copied(file, version.id(), historyFiles.copy(file, kept, "manual", now)),
                    () -> log.warn("No kept content of {} version {} to copy to history/", file.path(), version.id()));
        }
        ConfigVersion drift = record(file, current.content(), current.sha256(),
                ConfigChange.found(VersionKind.DRIFT, null), now, version);
        audit(file, drift);
        metrics.configWritten(file.kind().name().toLowerCase(java.util.Locale.ROOT), VersionKind.DRIFT.value());
        log.warn("{} changed outside the service: sha256 {} -> {}, recorded as drift version {} (version {} kept)",
                file.path(), version.sha256(), current.sha256(), drift.id(), version.id());
        return new Live(file, drift, current);
    }

    /**
     * Records {@code content} as the file's newest version, replacing {@code replaces}. Its content is kept at once;
     * its copy in {@code history/} is made when something replaces it, except for the read-only prompt files,
     * which nothing writes: they are copied as soon as they are seen.
     */
    private ConfigVersion record(ManagedFile file, byte[] content, String sha256, ConfigChange change,
                                 OffsetDateTime now, ConfigVersion replaces) {
        contents.save(file, sha256, content);
        String historyPath = file.editable() ? null : historyFiles.copy(file, content, "manual", now);
        long id = versions.insert(file, sha256, historyPath, change, now);
        if (replaces != null) {
            versions.replaced(file, replaces.id(), now, id);
        }
        return reload(file, id);
    }

    /**
     * Imports one of RD-Agent's backups as a {@code legacy} version of {@code file}, dated by its mtime; a backup
     * imported before is left alone.
     */
    public Optional<Long> importLegacy(ManagedFile file, Path backup) {
        return transaction.execute(status -> {
            try {
                byte[] content = Files.readAllBytes(backup);
                String sha256 = Hashes.sha256(content);
                String source = installation.home().relativize(backup).toString();
                OffsetDateTime modified = OffsetDateTime.ofInstant(Files.getLastModifiedTime(backup).toInstant(),
                        ZoneId.systemDefault());
                contents.save(file, sha256, content);
                Optional<Long> id = versions.insertLegacy(file, sha256, source, modified);
                id.ifPresent(imported ->
                        log.info("Imported RD-Agent's backup {} as legacy version {} of {}", source, imported, file.path()));
                return id;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + backup, e);
            }
        });
    }

    /** The saved content of a version; empty when it is gone. */
    public Optional<byte[]> content(ConfigVersion version) {
        return contents.load(ManagedFile.of(tableOf(version), version.file()), version);
    }

    private static HistoryTable tableOf(ConfigVersion version) {
        return RdAgentFiles.ENV.equals(version.file()) ? HistoryTable.ENV : HistoryTable.TEMPLATE;
    }

    private ConfigVersion reload(ManagedFile file, long id) {
        return versions.find(file.historyTable(), id).orElseThrow();
    }

    /** A drift is a change nobody made through the service: the audit trail names it with the file. */
    private void audit(ManagedFile file, ConfigVersion drift) {
        jdbc.update(SqlFiles.load("audit-insert"), new MapSqlParameterSource()
                .addValue("operator", ConfigChange.FILESYSTEM)
                .addValue("method", "DRIFT")
                .addValue("path", file.path() + "#" + drift.id())
                .addValue("status", 200)
                .addValue("address", properties.nodeId().length() > 64 ? properties.nodeId().substring(0, 64)
                        : properties.nodeId()));
    }

    /**
     * This JVM's locks of the files, in path order, then the action: waiting here holds no database connection.
     * Inside a caller's transaction there is a connection already, and only the advisory locks are taken (in the
     * same order everywhere), so a caller that holds some of them never waits for a lock of this JVM.
     */
    private <T> T locked(List<ManagedFile> files, Supplier<T> action) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            return action.get();
        }
        List<ReentrantLock> held = new ArrayList<>();
        try {
            for (ManagedFile file : files) {
                ReentrantLock lock = locks.computeIfAbsent(file.path(), path -> new ReentrantLock());
                lock.lock();
                held.add(lock);
            }
            return action.get();
        } finally {
            held.forEach(ReentrantLock::unlock);
        }
    }

    private Path live(ManagedFile file) {
        return installation.home().resolve(file.path());
    }
}
