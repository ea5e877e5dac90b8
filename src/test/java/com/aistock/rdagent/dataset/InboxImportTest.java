package com.aistock.rdagent.dataset;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import com.aistock.rdagent.system.Hashes;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Stock-pool files dropped into inbox/: all imported once, none half-read, bad ones set aside with a reason. */
class InboxImportTest extends InboxIntegrationTest {

    private static final int GOOD = 200;
    private static final int BAD = 20;
    private static final int CHUNKS = 3;
    /** Between two writes to a file; well under the test's two-second read lock, as a slow copy would be. */
    private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

    @Autowired
    private CamelContext camelContext;
    @Autowired
    private MeterRegistry meters;

    @Test
    void twoHundredFilesWrittenSlowlyAreImportedWholeAndTwentyBadOnesAreRejected() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        Map<String, String> normalised = new LinkedHashMap<>();
        for (int i = 0; i < GOOD; i++) {
            StringBuilder pool = new StringBuilder("# pool ").append(i).append('\n');
            StringBuilder expected = new StringBuilder();
            for (int row = 0; row <= i % 25; row++) {
                String symbol = String.format("SH6%05d", i * 25 + row);
                pool.append(symbol.toLowerCase()).append("\t2016-01-04\t2020-12-31\r\n");
                expected.append(symbol).append("\t2016-01-04\t2020-12-31\n");
            }
            files.put(String.format("slow_pool_%03d.txt", i), pool.toString().getBytes(StandardCharsets.UTF_8));
            normalised.put(String.format("slow_pool_%03d", i), expected.toString());
        }
        Map<String, Integer> badLine = new LinkedHashMap<>();
        for (int i = 0; i < BAD; i++) {
            int line = 2 + i % 5;
            StringBuilder pool = new StringBuilder();
            for (int n = 1; n <= 8; n++) {
                pool.append(n == line ? "SH60000X" : String.format("SZ%06d", n)).append('\n');
            }
            files.put(String.format("bad_%02d.txt", i), pool.toString().getBytes(StandardCharsets.UTF_8));
            badLine.put(String.format("bad_%02d.txt", i), line);
        }

        double acceptedBefore = inboxFiles("accepted");
        double rejectedBefore = inboxFiles("rejected");
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writeInChunks(files));

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> writer.isDone() && waiting().isEmpty());
        writer.get();

        assertThat(named(".done", "slow_pool_")).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrderElementsOf(files.keySet().stream().filter(f -> f.startsWith("slow_pool_")).toList());
        assertThat(named(".done", "slow_pool_")).allSatisfy(p -> assertThat(p.getParent().getFileName().toString()).matches("\\d{8}"));
        assertThat(named(".error", "slow_pool_")).as("no good file rejected").isEmpty();
        assertThat(count("SELECT count(*) FROM " + DATASETS + " WHERE p.name LIKE 'slow\\_pool\\_%'")).isEqualTo(GOOD);
        assertThat(count("SELECT count(*) FROM rdagent_task t, " + DATASETS + " WHERE d.id = t.dataset_id"
                + " AND p.name LIKE 'slow\\_pool\\_%' AND t.origin = 'inbox'")).isEqualTo(GOOD);
        // read whole: every dataset holds exactly its file's rows, though every file was read while being written
        List<Map<String, Object>> datasets = jdbc.queryForList(
                "SELECT p.name, d.version, d.symbol_count, d.sha256 FROM " + DATASETS + " WHERE p.name LIKE 'slow\\_pool\\_%'");
        for (Map<String, Object> dataset : datasets) {
            String expected = normalised.get((String) dataset.get("name"));
            assertThat(dataset.get("version")).isEqualTo(1);
            assertThat(dataset.get("symbol_count")).isEqualTo((int) expected.lines().count());
            assertThat(dataset.get("sha256")).isEqualTo(Hashes.sha256(expected.getBytes(StandardCharsets.UTF_8)));
        }

        assertThat(count("SELECT count(*) FROM rdagent_dataset_pool WHERE name LIKE 'bad\\_%'")).isZero();
        for (Map.Entry<String, Integer> bad : badLine.entrySet()) {
            assertThat(inbox().resolve(".error").resolve(bad.getKey())).hasBinaryContent(files.get(bad.getKey()));
            assertThat(inbox().resolve(".error").resolve(bad.getKey() + ".error.txt")).content()
                    .contains("error: unprocessable")
                    .contains("line " + bad.getValue() + ": symbol 'SH60000X' does not match ^(SH|SZ|BJ)\\d{6}$");
        }
        assertThat(inboxFiles("accepted") - acceptedBefore).as("rdagent_inbox_files_total{outcome=accepted}").isEqualTo(GOOD);
        assertThat(inboxFiles("rejected") - rejectedBefore).as("rdagent_inbox_files_total{outcome=rejected}").isEqualTo(BAD);
    }

    private double inboxFiles(String outcome) {
        return meters.get("rdagent.inbox.files").tag("outcome", outcome).counter().count();
    }

    /** The idempotent repository is in PostgreSQL: stopping and starting the inbox route forgets nothing. */
    @Test
    void theSameFileDroppedAgainAfterARestartIsNotImportedTwice() throws Exception {
        byte[] content = "SH600000\nSZ000001\n".getBytes(StandardCharsets.UTF_8);
        Files.write(inbox().resolve("restart_pool.txt"), content);
        Path done = awaitDone("restart_pool.txt");

        try {
            camelContext.getRouteController().stopRoute("inbox");
        } finally {
            camelContext.getRouteController().startRoute("inbox");
        }
        Files.copy(done, inbox().resolve("restart_pool.txt"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(inbox().resolve("restart_pool.txt")));

        assertThat(count("SELECT count(*) FROM " + DATASETS + " WHERE p.name = 'restart_pool'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM rdagent_task t, " + DATASETS + " WHERE d.id = t.dataset_id"
                + " AND p.name = 'restart_pool'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM CAMEL_MESSAGEPROCESSED WHERE processorName = 'inbox' AND messageId = ?",
                "restart_pool.txt:" + Hashes.sha256(content))).isEqualTo(1);

        // the key is the content, not the name: a new version under the same name is imported
        Files.writeString(inbox().resolve("restart_pool.txt"), "SH600000\nSZ000001\nBJ430047\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/rdagent/datasets").json()
                .findValuesAsText("name").stream().filter("restart_pool"::equals).count() == 2);
    }

    /** Appends each file's chunks round by round, pausing between rounds: every file grows for about a second. */
    private static void writeInChunks(Map<String, byte[]> files) {
        List<Path> paths = new ArrayList<>();
        files.keySet().forEach(name -> paths.add(inbox().resolve(name)));
        try {
            for (int chunk = 0; chunk < CHUNKS; chunk++) {
                int index = 0;
                for (byte[] content : files.values()) {
                    int from = content.length * chunk / CHUNKS;
                    int to = content.length * (chunk + 1) / CHUNKS;
                    try (OutputStream out = Files.newOutputStream(paths.get(index++), StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND)) {
                        out.write(content, from, to - from);
                    }
                }
                LockSupport.parkNanos(PAUSE_NANOS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Files still in the inbox itself: not yet taken, or being imported. */
    /** Files the inbox still has to take: dot-files are never taken (another test leaves one to prove it). */
    private static List<Path> waiting() throws IOException {
        try (Stream<Path> files = Files.list(inbox())) {
            return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        }
    }

    private static List<Path> named(String folder, String prefix) {
        return filesIn(folder).stream().filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
    }

    private static Path awaitDone(String name) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> filesIn(".done").stream().anyMatch(p -> p.getFileName().toString().equals(name)));
        return filesIn(".done").stream().filter(p -> p.getFileName().toString().equals(name)).findFirst().orElseThrow();
    }
}
