package com.aistock.rdagent.dataset;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

import com.aistock.rdagent.system.Hashes;
import com.aistock.rdagent.system.SchedulerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Puts a task's dataset where Qlib looks for its market: {@code <provider_uri>/instruments/<market>.txt} (SPEC 5.3).
 * A different file already there is copied to {@code history/} first; the write is a rename, so Qlib never reads
 * half a file.
 */
@Component
public class DatasetInstaller {

    private static final Logger log = LoggerFactory.getLogger(DatasetInstaller.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS");

    private final DatasetStore store;
    private final SchedulerProperties properties;

    public DatasetInstaller(DatasetStore store, SchedulerProperties properties) {
        this.store = store;
        this.properties = properties;
    }

    /** Nothing to do without a dataset, or when the same content is in place. Serialised: tasks may share a market. */
    public synchronized void install(Long datasetId) throws IOException {
        if (datasetId == null) {
            return;
        }
        Dataset dataset = store.find(datasetId)
                .orElseThrow(() -> new IllegalStateException("dataset " + datasetId + " no longer exists"));
        Path target = QlibData.instruments(QlibData.folder(dataset.providerUri()), dataset.market());
        if (Files.exists(target)) {
            if (Hashes.sha256(target).equals(dataset.sha256())) {
                return;
            }
            backUp(target);
        }
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), "." + dataset.market() + "-", ".tmp");
        try {
            Files.copy(properties.data().resolve(dataset.instrumentsFile()), temp, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        log.info("Installed dataset {} ({}) v{} as {}", dataset.market(), dataset.name(), dataset.version(), target);
    }

    private void backUp(Path target) throws IOException {
        LocalDateTime now = LocalDateTime.now();
        Path backup = properties.history().resolve(DAY.format(now))
                .resolve(TIMESTAMP.format(now) + "_instruments_" + target.getFileName());
        Files.createDirectories(backup.getParent());
        Files.copy(target, backup, StandardCopyOption.COPY_ATTRIBUTES);
        log.info("Backed up {} to {} before installing a different dataset", target, backup);
    }
}
