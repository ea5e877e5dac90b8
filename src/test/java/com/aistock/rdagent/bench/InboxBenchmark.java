package com.aistock.rdagent.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import com.aistock.rdagent.dataset.InstrumentsParser;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import static org.awaitility.Awaitility.await;

/**
 * 1,000 stock-pool files of 300 dated lines dropped into inbox/ together, with the inbox's production settings
 * (poll interval, readLock=changed and its min-age): clock from the drop until the 1,000th dataset row exists.
 * The min-age delays the first file only, since all files age together; it is reported in the notes. Each file also
 * makes its auto-run task (same transaction, as in production); the worker's claim route is stopped meanwhile so
 * those tasks stay PENDING instead of running beside the import. Baseline: the same files through
 * {@link InstrumentsParser} in this JVM, one after another. Rows, files and idempotency keys are removed afterwards.
 */
class InboxBenchmark extends BenchmarkContext {

    private static final int FILES = Integer.getInteger("bench.inbox.files", 1000);
    private static final int LINES = 300;
    private static final String PREFIX = "bench_inbox_";
    private static final double TARGET = 50;

    @Autowired
    CamelContext camel;

    @Value("${scheduler.inbox.read-lock-min-age}")
    String readLockMinAge;

    @Value("${scheduler.inbox.poll-interval}")
    String pollInterval;

    @Value("${scheduler.datasets.symbol-pattern}")
    String symbolPattern;

    @Test
    void thousandInstrumentFiles() throws Exception {
        awaitIdle();
        Path inbox = base().resolve("inbox");
        Path staging = base().resolve("bench-inbox-staging");
        List<Path> written = writeFiles(staging);
        long firstTask = jdbc.queryForObject("SELECT coalesce(max(id), 0) FROM rdagent_task", Long.class);
        camel.getRouteController().stopRoute("task-claim");
        try {
            // the drop: renames within one file system, so no file is ever seen half-written; each file's mtime
            // is the drop's, as if it had just been copied in, so the read lock's min-age counts from here
            long t0 = System.nanoTime();
            FileTime now = FileTime.from(Instant.now());
            for (Path file : written) {
                Files.setLastModifiedTime(file, now);
            }
            for (Path file : written) {
                Files.move(file, inbox.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
            }
            double dropSeconds = (System.nanoTime() - t0) / 1e9;
            double[] firstAt = {Double.NaN};
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
                long made = datasets();
                if (made > 0 && Double.isNaN(firstAt[0])) {
                    firstAt[0] = (System.nanoTime() - t0) / 1e9;
                }
                return made == FILES;
            });
            double seconds = (System.nanoTime() - t0) / 1e9;
            long tasks = jdbc.queryForObject("SELECT count(*) FROM rdagent_task WHERE id > ? AND origin = 'inbox'",
                    Long.class, firstTask);
            long rejected = countFiles(inbox.resolve(".error"));

            double baselineSeconds = parseInProcess(inbox.resolve(".done"));
            double rate = FILES / seconds;
            double baseline = FILES / baselineSeconds;
            double steady = (FILES - 1) / (seconds - firstAt[0]);
            BenchResults.add(new BenchResults.Figure(60, "inbox", "Inbox: " + FILES + " instrument files of " + LINES
                    + " lines → datasets", rate, "files/s", baseline, "InstrumentsParser in-process", rate / baseline,
                    "× (rate)", "≥ 50 files/s", rate >= TARGET,
                    String.format(Locale.ROOT, "All files dropped at once (renames, %.2f s); clock from the drop to the "
                                    + "%dth dataset row: %.1f s. First dataset after %.1f s (readLock=changed, "
                                    + "readLockMinAge %s, poll every %s: the floor of one file's latency), then %.1f files/s. "
                                    + "%d auto-run tasks created (worker stopped meanwhile), %d files rejected. "
                                    + "Baseline: the same files parsed one by one in-process, %.2f s.",
                            dropSeconds, FILES, seconds, firstAt[0], readLockMinAge, pollInterval, steady, tasks,
                            rejected, baselineSeconds)));
        } finally {
            camel.getRouteController().startRoute("task-claim");
            cleanUp(inbox, staging, firstTask);
        }
    }

    /** Distinct content per file (the inbox keys files by name and sha256): 300 symbols, each with its own range. */
    private List<Path> writeFiles(Path staging) throws IOException {
        Files.createDirectories(staging);
        List<Path> files = new ArrayList<>();
        LocalDate start = LocalDate.of(2010, 1, 4);
        for (int f = 0; f < FILES; f++) {
            StringBuilder text = new StringBuilder(LINES * 32);
            for (int line = 0; line < LINES; line++) {
                String market = line % 3 == 0 ? "SH" : line % 3 == 1 ? "SZ" : "BJ";
                text.append(market).append(String.format(Locale.ROOT, "%06d", (f * LINES + line) % 1_000_000))
                        .append('\t').append(start.plusDays(line)).append('\t').append(start.plusDays(3000 + f))
                        .append('\n');
            }
            Path file = staging.resolve(String.format(Locale.ROOT, "%s%04d.txt", PREFIX, f));
            Files.writeString(file, text, StandardCharsets.UTF_8);
            files.add(file);
        }
        return files;
    }

    private long datasets() {
        return jdbc.queryForObject("SELECT count(*) FROM rdagent_dataset d JOIN rdagent_dataset_pool p ON p.id = d.pool_id"
                + " WHERE p.name LIKE ? AND d.operator = 'inbox'", Long.class, PREFIX + "%");
    }

    /** The baseline: each file the inbox took, checked and normalised by the same parser. */
    private double parseInProcess(Path done) throws IOException {
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(done)) {
            sources = walk.filter(p -> p.getFileName().toString().startsWith(PREFIX)).sorted().toList();
        }
        if (sources.size() != FILES) {
            throw new AssertionError(sources.size() + " of " + FILES + " files reached .done/");
        }
        InstrumentsParser parser = new InstrumentsParser(symbolPattern, InstrumentsParser.UnknownSymbols.WARN);
        InstrumentsParser.Reference data = InstrumentsParser.Reference.of(base().resolve("data/demo-qlib/cn_data"));
        Path target = Files.createTempFile(Files.createDirectories(BenchResults.FOLDER.toAbsolutePath()), "inbox-baseline", ".txt");
        try {
            for (Path source : sources.subList(0, Math.min(100, FILES))) {
                parser.parse(source, target, data);
            }
            long t0 = System.nanoTime();
            for (Path source : sources) {
                parser.parse(source, target, data);
            }
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            Files.deleteIfExists(target);
        }
    }

    private void cleanUp(Path inbox, Path staging, long firstTask) throws IOException {
        jdbc.update("DELETE FROM rdagent_task WHERE id > ? AND origin = 'inbox' AND name LIKE ?", firstTask, PREFIX + "%");
        String pools = "SELECT id FROM rdagent_dataset_pool WHERE name LIKE ?";
        List<String> files = jdbc.queryForList("SELECT instruments_file FROM rdagent_dataset WHERE pool_id IN (" + pools
                + ") AND operator = 'inbox'", String.class, PREFIX + "%");
        jdbc.update("DELETE FROM rdagent_dataset WHERE pool_id IN (" + pools + ") AND operator = 'inbox'", PREFIX + "%");
        jdbc.update("DELETE FROM rdagent_dataset_pool p WHERE name LIKE ?"
                + " AND NOT EXISTS (SELECT 1 FROM rdagent_dataset d WHERE d.pool_id = p.id)", PREFIX + "%");
        for (String file : files) {
            Files.deleteIfExists(base().resolve("data").resolve(file));
        }
        jdbc.update("DELETE FROM CAMEL_MESSAGEPROCESSED WHERE processorName = 'inbox' AND messageId LIKE ?", PREFIX + "%");
        Processes.deleteTree(staging);
        for (String folder : new String[]{"", ".done", ".error"}) {
            Path root = inbox.resolve(folder);
            if (Files.isDirectory(root)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.filter(p -> p.getFileName().toString().startsWith(PREFIX)).forEach(p -> {
                        try {
                            Files.deleteIfExists(p);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                }
            }
        }
    }

    private static long countFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(p -> p.getFileName().toString().startsWith(PREFIX)
                    && !p.getFileName().toString().endsWith(".error.txt")).count();
        }
    }
}
