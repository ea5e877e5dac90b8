package com.aistock.rdagent.dataset;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Files of every kind a file system allows, dropped into the real inbox of the running service: each is imported
 * or set aside in {@code .error/} with its reason, nothing stays behind, nothing is lost, and a link is never
 * followed.
 */
@ExtendWith(OutputCaptureExtension.class)
class InboxFilesTest extends InboxIntegrationTest {

    private static final Duration TAKEN = Duration.ofSeconds(60);

    @Test
    void everyFileIsImportedOrSetAsideWithItsReasonAndALinkIsNeverFollowed(CapturedOutput output) throws Exception {
        String secret = "SECRET-" + UUID.randomUUID().toString().substring(0, 8);
        Path target = Files.writeString(INBOX_BASE.resolve("outside.txt"), secret + "\n");
        FileTime targetTime = Files.getLastModifiedTime(target);
        Files.createSymbolicLink(inbox().resolve("x.txt"), target);

        Map<String, byte[]> dropped = new LinkedHashMap<>();
        dropped.put("empty.txt", new byte[0]);
        dropped.put("new\nline.txt", bytes("SH600000\n"));
        dropped.put("bell\u0007.txt", bytes("SH600000\n"));
        dropped.put("utf16.txt", concat(new byte[]{(byte) 0xFF, (byte) 0xFE}, "# 自选\r\nSH600000\r\nSZ000001\r\n".getBytes(StandardCharsets.UTF_16LE)));
        dropped.put("gb18030.txt", "# 沪深300 成分股\nSH600000\nSZ000001\n".getBytes(Charset.forName("GB18030")));
        dropped.put("crlf.txt", bytes("SH600000\t2016-01-04\t2020-12-31\r\nSZ000001\r\n"));
        dropped.put("pool.csv", bytes("SH600000\n"));
        dropped.put("c".repeat(241) + ".txt", bytes("SH600000\n"));
        dropped.put("长".repeat(80) + ".txt", bytes("SH600000\n"));
        dropped.put("b".repeat(251) + ".txt", bytes("SH600000\n"));
        for (Map.Entry<String, byte[]> file : dropped.entrySet()) {
            Files.write(inbox().resolve(file.getKey()), file.getValue());
        }
        // the longest name ext4 takes is 255 bytes: a 300-character one cannot even be created
        assertThatThrownBy(() -> Files.writeString(inbox().resolve("a".repeat(296) + ".txt"), "SH600000\n"))
                .isInstanceOf(FileSystemException.class).hasMessageContaining("File name too long");
        run("mkfifo", inbox().resolve("pipe.txt").toString());
        // GBK bytes for 股.txt, as an unzip of a file made on Chinese Windows leaves them
        run("/usr/bin/python3", "-c", "import os, sys; open(os.path.join(os.fsencode(sys.argv[1]), "
                + "b'\\xb9\\xc9.txt'), 'wb').write(b'SH600000\\n')", inbox().toString());
        Files.writeString(inbox().resolve(".hidden.txt"), "SH600000\n");

        await().atMost(TAKEN).pollInterval(Duration.ofMillis(200)).until(() -> waiting().isEmpty());

        // the link: moved itself, its target untouched, its content nowhere
        Path link = inbox().resolve(".error/x.txt");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(target);
        assertThat(target).hasContent(secret);
        assertThat(Files.getLastModifiedTime(target)).isEqualTo(targetTime);
        assertThat(reason("x.txt.error.txt")).contains("file: \"x.txt\"").contains("a symbolic link");
        for (Path file : regularFilesUnder(inbox())) {
            assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).as(file.toString()).doesNotContain(secret);
        }
        assertThat(output.getAll()).doesNotContain(secret);
        assertThat(databaseText()).doesNotContain(secret);

        // nothing lost: every file is in .done/ or .error/ with its bytes, and .hidden.txt is left alone
        for (Map.Entry<String, byte[]> file : dropped.entrySet()) {
            assertThat(takenAs(file.getKey())).as(file.getKey()).hasBinaryContent(file.getValue());
        }
        assertThat(inbox().resolve(".hidden.txt")).exists();
        assertThat(regularFilesUnder(inbox())).noneMatch(p -> p.toString().endsWith(".camelLock"));

        assertThat(reason("empty.txt.error.txt")).contains("message: no instruments: the file is empty");
        assertThat(reason(errorReasonFor("new\nline.txt"))).contains("file: \"new\\nline.txt\"")
                .contains("field: name").contains("must not contain control characters");
        assertThat(errorReasonFor("new\nline.txt")).matches("new_line\\.txt~[0-9a-f]{8}\\.error\\.txt");
        assertThat(reason(errorReasonFor("bell\u0007.txt"))).contains("file: \"bell\\u0007.txt\"");
        assertThat(reason("pool.csv.error.txt")).contains("neither a stock pool");
        assertThat(reason(errorReasonFor("c".repeat(241) + ".txt"))).contains("must be at most 100 characters");
        assertThat(reason(errorReasonFor("b".repeat(251) + ".txt")))
                .contains("the name is 255 bytes long; the inbox takes names of at most 245 bytes");
        assertThat(reason("pipe.txt.error.txt")).contains("not a regular file");
        assertThat(Files.isRegularFile(inbox().resolve(".error/pipe.txt"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(reason("__.txt.error.txt")).contains("file: %B9%C9.txt").contains("not UTF-8 text");
        assertThat(inbox().resolve(".error/__.txt")).hasContent("SH600000");

        assertThat(dataset("utf16").path("encoding").asText()).isEqualTo("UTF-16LE with BOM");
        assertThat(dataset("gb18030").path("encoding").asText()).isEqualTo("GB18030");
        assertThat(dataset("gb18030").path("symbol_count").asInt()).isEqualTo(2);
        assertThat(dataset("crlf").path("start_date").asText()).isEqualTo("2016-01-04");
        assertThat(dataset("长".repeat(80)).path("market").asText()).matches("pool_[0-9a-f]{4}");
    }

    @Test
    void chinesePoolNamesStayApartAndTheSameNameIsANewVersion() throws IOException {
        Files.writeString(inbox().resolve("股票池.txt"), "SH600000\n");
        Files.writeString(inbox().resolve("基金池.txt"), "SZ000001\n");
        Files.writeString(inbox().resolve("Pool-A.txt"), "SH600000\n");
        Files.writeString(inbox().resolve("pool_a.txt"), "SH600000\n");
        await().atMost(TAKEN).until(() -> waiting().isEmpty());
        Files.writeString(inbox().resolve("Pool-A.txt"), "SH600000\nSZ000001\n");
        await().atMost(TAKEN).until(() -> waiting().isEmpty());

        JsonNode stocks = dataset("股票池");
        JsonNode funds = dataset("基金池");
        assertThat(stocks.path("market").asText()).matches("pool_[0-9a-f]{4,}");
        assertThat(funds.path("market").asText()).matches("pool_[0-9a-f]{4,}").isNotEqualTo(stocks.path("market").asText());
        JsonNode poolA = dataset("Pool-A");
        assertThat(poolA.path("version").asInt()).isEqualTo(2);
        assertThat(poolA.path("symbol_count").asInt()).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM " + DATASETS + " WHERE p.name = 'Pool-A'")).isEqualTo(2);
        assertThat(count("SELECT count(DISTINCT p.market) FROM " + DATASETS + " WHERE p.name = 'Pool-A'")).isOne();
        assertThat(dataset("pool_a").path("market").asText()).isNotEqualTo(poolA.path("market").asText());
        assertThat(filesIn(".done")).extracting(p -> p.getFileName().toString())
                .as("the second Pool-A.txt does not replace the first").contains("Pool-A.txt", "Pool-A (2).txt");
    }

    @Test
    void aSidecarChoosesTheDataFolderAndMovesWithItsPool() throws IOException {
        Path data = InstrumentsParserTest.qlibData(INBOX_BASE.resolve("side-qlib"), List.of("SH600000", "SH000300"));
        Files.createDirectories(data.resolve("features/sh000300"));
        Files.writeString(inbox().resolve("side.meta.json"), "{\"provider_uri\": \"" + data + "\"}");
        Files.writeString(inbox().resolve("side.txt"), "SH600000\nSZ000001\n");
        Files.writeString(inbox().resolve("badmeta.meta.json"), "{\"provider_uri\": 5}");
        Files.writeString(inbox().resolve("badmeta.txt"), "SH600000\n");
        Files.writeString(inbox().resolve("lonely.meta.json"), "{\"provider_uri\": \"" + data + "\"}");

        await().atMost(TAKEN).until(() -> waiting().isEmpty());

        JsonNode side = dataset("side");
        assertThat(side.path("provider_uri").asText()).isEqualTo(data.toString());
        assertThat(side.path("warnings").findValuesAsText("symbol")).as("checked against that data").containsExactly("SZ000001");
        assertThat(filesIn(".done")).extracting(p -> p.getFileName().toString()).contains("side.txt", "side.meta.json");
        assertThat(reason("badmeta.txt.error.txt")).contains("field: badmeta.meta.json")
                .contains("sidecar: moved to .error/badmeta.meta.json");
        assertThat(inbox().resolve(".error/badmeta.meta.json")).exists();
        assertThat(reason("lonely.meta.json.error.txt")).contains("a sidecar without its stock-pool file");
        assertThat(count("SELECT count(*) FROM rdagent_dataset_pool WHERE name IN ('badmeta', 'lonely')")).isZero();
    }

    private JsonNode dataset(String name) {
        for (JsonNode dataset : api.get("/api/rdagent/datasets").json()) {
            if (dataset.path("name").asText().equals(name)) {
                return dataset;
            }
        }
        throw new AssertionError("no dataset " + name);
    }

    /** Non-dot entries still in the inbox itself. */
    private static List<Path> waiting() throws IOException {
        try (Stream<Path> entries = Files.list(inbox())) {
            return entries.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        }
    }

    /** Where the file with this name went: .done/<day>/ or .error/. */
    private static Path takenAs(String name) {
        List<Path> found = new ArrayList<>();
        for (String folder : new String[]{".done", ".error"}) {
            filesIn(folder).stream().filter(p -> p.getFileName().toString().equals(name)).forEach(found::add);
        }
        assertThat(found).as(name).hasSize(1);
        return found.get(0);
    }

    private static String errorReasonFor(String name) {
        return InboxFolder.reasonName(name);
    }

    private static String reason(String reasonFile) throws IOException {
        return Files.readString(inbox().resolve(".error").resolve(reasonFile));
    }

    /** Regular files only, never read through a link. */
    private static List<Path> regularFilesUnder(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
        }
    }

    /** Every row of every table of the service's schema, as text. */
    private String databaseText() {
        StringBuilder text = new StringBuilder();
        for (String table : jdbc.queryForList("SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", String.class)) {
            // the table name comes from the catalog, never from a request
            text.append(jdbc.queryForObject("SELECT coalesce(string_agg(t::text, '|'), '') FROM \"" + table + "\" t",
                    String.class));
        }
        return text.toString();
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes())).isZero();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] all = new byte[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
