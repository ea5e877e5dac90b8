package com.aistock.rdagent.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.aistock.rdagent.support.IntegrationTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The inbox tests' own running service: a fast poll, a two-second read lock, a three-second wait for a sidecar's
 * stock-pool file, auto-run on with quick defaults, and no worker, so the hundreds of tasks the inbox creates stay
 * PENDING instead of queueing real runs. Its folders (and so its embedded PostgreSQL and its inbox) are its own,
 * beside the shared context's.
 */
@TestPropertySource(properties = {
        IntegrationTest.OWN_SCHEDULER + "inbox",
        "scheduler.worker.enabled=false",
        "scheduler.inbox.poll-interval=100",
        "scheduler.inbox.read-lock-min-age=2s",
        "scheduler.inbox.read-lock-check-interval=100",
        "scheduler.inbox.sidecar-wait=3s",
        "scheduler.defaults.loop-n=2",
        "scheduler.defaults.all-duration=30m",
        "scheduler.defaults.env[RDAGENT_SIM_STEP_SECONDS]=0"})
abstract class InboxIntegrationTest extends IntegrationTest {

    static final Path INBOX_BASE = Path.of(base() + "-inbox");
    /** The versions with their dataset's name and market, for queries: {@code d.*}, {@code p.name}, {@code p.market}. */
    static final String DATASETS = "rdagent_dataset d JOIN rdagent_dataset_pool p ON p.id = d.pool_id";

    /** Folder by folder: the shared context's scheduler.base-dir cannot be overridden from here. */
    @DynamicPropertySource
    static void inboxFolders(DynamicPropertyRegistry registry) {
        for (String folder : new String[]{"history", "inbox", "outbox", "work", "data"}) {
            registry.add("scheduler." + folder + "-dir", () -> INBOX_BASE.resolve(folder).toString());
        }
    }

    static Path inbox() {
        return INBOX_BASE.resolve("inbox");
    }

    /** Every file under {@code inbox/<folder>}, at any depth (.done/ has a folder per day). */
    static List<Path> filesIn(String folder) {
        Path root = inbox().resolve(folder);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long count(String sql, Object... args) {
        Long count = jdbc.queryForObject(sql, Long.class, args);
        return count == null ? 0 : count;
    }
}
