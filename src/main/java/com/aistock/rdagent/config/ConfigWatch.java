package com.aistock.rdagent.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.aistock.rdagent.system.RdAgentInstallation;
import com.aistock.rdagent.system.SchedulerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Notices changes made outside the service. Every {@code scheduler.config.watch-interval} (and at once on start)
 * each managed file's sha256 is compared with what this node last saw; a file that differs is reconciled with its
 * history under its cluster-wide lock, so two nodes never record one change twice. RD-Agent's own
 * {@code .backup_*.yaml} files beside the templates are imported once as {@code legacy} versions. Runs where the
 * config center is served (role {@code api}): a worker's own copy of RD-Agent is not the one the config center
 * manages.
 */
@Component("configWatch")
public class ConfigWatch {

    private static final Logger log = LoggerFactory.getLogger(ConfigWatch.class);
    private static final String LEGACY_PREFIX = ".backup_";

    private final ConfigStore store;
    private final RdAgentInstallation installation;
    private final boolean watching;
    /** Backups this node looked at: imported, found imported already, or naming no template. */
    private final Set<Path> imported = ConcurrentHashMap.newKeySet();

    public ConfigWatch(ConfigStore store, RdAgentInstallation installation, SchedulerProperties properties) {
        this.store = store;
        this.installation = installation;
        this.watching = properties.node().has("api");
    }

    public boolean isWatching() {
        return watching;
    }

    public void check() {
        for (ManagedFile file : ManagedFile.ALL) {
            if (store.changedSinceSeen(file)) {
                store.observe(file);
            }
        }
        importLegacyBackups();
    }

    private void importLegacyBackups() {
        for (String folder : List.of(RdAgentFiles.FACTOR_TEMPLATE, RdAgentFiles.MODEL_TEMPLATE)) {
            Path dir = installation.home().resolve(folder);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> backups = Files.newDirectoryStream(dir, LEGACY_PREFIX + "*.yaml")) {
                for (Path backup : backups) {
                    if (Files.isRegularFile(backup) && !imported.contains(backup)) {
                        Optional<ManagedFile> template = templateOf(folder, backup.getFileName().toString());
                        template.ifPresentOrElse(file -> store.importLegacy(file, backup), () -> log.info(
                                "{} names none of the templates beside it: not imported", backup));
                        imported.add(backup);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list " + dir, e);
            }
        }
    }

    /** The template of the folder whose name the backup's name contains (the longest, when several do). */
    static Optional<ManagedFile> templateOf(String folder, String backupName) {
        return RdAgentFiles.TEMPLATES.stream()
                .filter(path -> path.startsWith(folder + "/"))
                .filter(path -> backupName.contains(RdAgentFiles.fileName(path).replace(".yaml", "")))
                .max(Comparator.comparingInt(String::length))
                .map(ManagedFile::templateOrPrompt);
    }
}
