package com.aistock.rdagent.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import com.aistock.rdagent.system.Hashes;
import com.aistock.rdagent.system.SchedulerProperties;
import org.springframework.stereotype.Component;

/**
 * The content of every version, kept from the moment it is recorded, so a file changed outside the service never
 * takes the last known content with it. Templates and prompts go to the database by sha256 (with the task
 * snapshots); the .env, which holds keys, stays out of the database: an owner-only file
 * {@code history/versions/{sha256}.env}, like its backups.
 */
@Component
public class VersionContents {

    private final TemplateBlobStore blobs;
    private final SchedulerProperties properties;

    public VersionContents(TemplateBlobStore blobs, SchedulerProperties properties) {
        this.blobs = blobs;
        this.properties = properties;
    }

    public void save(ManagedFile file, String sha256, byte[] content) {
        if (file.kind() != ManagedFile.Kind.ENV) {
            blobs.save(sha256, content);
            return;
        }
        Path target = envBlob(sha256);
        try {
            Files.createDirectories(target.getParent());
            if (!Files.exists(target)) {
                HistoryFiles.writeDurably(target, content, HistoryFiles.OWNER_ONLY);
            }
        } catch (FileAlreadyExistsException written) {
            // another node kept the same content at the same moment
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep a version of " + file.path(), e);
        }
    }

    /** The version's content, from where it was kept or else its copy in history/; empty when both are gone. */
    public Optional<byte[]> load(ManagedFile file, ConfigVersion version) {
        if (version.sha256() == null) {
            return Optional.empty();
        }
        Optional<byte[]> kept = file.kind() == ManagedFile.Kind.ENV ? read(envBlob(version.sha256()))
                : blobs.find(version.sha256());
        if (kept.isPresent() || version.historyPath() == null) {
            return kept;
        }
        Path copy = properties.history().resolve(version.historyPath()).normalize();
        return copy.startsWith(properties.history()) ? read(copy).filter(c -> Hashes.sha256(c).equals(version.sha256()))
                : Optional.empty();
    }

    private Path envBlob(String sha256) {
        return properties.history().resolve("versions").resolve(sha256 + ".env");
    }

    private static Optional<byte[]> read(Path path) {
        try {
            return Files.isRegularFile(path) ? Optional.of(Files.readAllBytes(path)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path, e);
        }
    }
}
