package com.aistock.rdagent.security;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.Tasks;
import com.aistock.rdagent.system.Hashes;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over a hundred hostile requests (path traversal, shell and SQL metacharacters, oversized and malformed bodies,
 * wrong types and numbers), kept as data in {@code abuse-corpus.tsv}: each gets a 4xx JSON answer, none a 5xx,
 * and afterwards the database, history/, inbox/, outbox/ and RDAGENT_HOME are exactly as before.
 */
class AbuseCorpusTest extends IntegrationTest {

    private static final Path PWNED = Path.of("/tmp/rdagent-pwned");
    /** The audit trail records refused writes too: that is its job, so it is left out of the comparison. */
    private static final String TABLES = "SELECT table_name FROM information_schema.tables "
            + "WHERE table_schema = 'public' AND table_name LIKE 'rdagent%' AND table_name <> 'rdagent_audit' "
            + "AND table_name <> 'rdagent_node' ORDER BY table_name";

    record Abuse(String method, String path, String contentType, String body) {
    }

    @Test
    void everyHostileRequestIsRefusedAndChangesNothing() throws IOException {
        Files.deleteIfExists(PWNED);
        Tasks.awaitIdle(api);
        List<Abuse> corpus = corpus();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(100);
        Map<String, String> databaseBefore = database();
        Map<String, String> filesBefore = files();

        List<String> problems = new ArrayList<>();
        for (Abuse abuse : corpus) {
            Api.Response response = send(abuse);
            String what = abuse.method() + " " + abuse.path() + " → " + response.status();
            if (response.status() < 400 || response.status() >= 500) {
                problems.add(what + " " + response.body());
            } else if (!response.body().isEmpty() && !response.body().startsWith("{")) {
                problems.add(what + " answered without JSON: " + response.body());
            } else if (response.body().contains("root:") || response.body().contains("Exception")) {
                problems.add(what + " leaked: " + response.body());
            }
        }

        assertThat(problems).isEmpty();
        assertThat(database()).isEqualTo(databaseBefore);
        assertThat(files()).isEqualTo(filesBefore);
        assertThat(PWNED).doesNotExist();
    }

    private Api.Response send(Abuse abuse) {
        HttpRequest.Builder request = api.request(abuse.path());
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofString(abuse.body(), StandardCharsets.UTF_8);
        if (!abuse.contentType().isEmpty()) {
            request.header("Content-Type", abuse.contentType());
        }
        return api.send(switch (abuse.method()) {
            case "GET" -> request.GET();
            case "DELETE" -> request.DELETE();
            default -> request.method(abuse.method(), body);
        });
    }

    private static List<Abuse> corpus() throws IOException {
        List<Abuse> corpus = new ArrayList<>();
        String text = new ClassPathResource("abuse-corpus.tsv").getContentAsString(StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            String body = fields[3].replace("\\n", "\n").replace("@2MIB@", "x".repeat(2 << 20));
            corpus.add(new Abuse(fields[0], fields[1], fields[2], body));
        }
        return corpus;
    }

    /** Every row of every table, hashed per table. */
    private Map<String, String> database() {
        Map<String, String> tables = new TreeMap<>();
        for (String table : jdbc.queryForList(TABLES, String.class)) {
            // the table name comes from the catalog query above, never from a request
            String rows = jdbc.queryForObject("SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM "
                    + table + " t", String.class);
            tables.put(table, rows);
        }
        return tables;
    }

    /** Path → sha256 of every file under the folders a request could touch. */
    private static Map<String, String> files() throws IOException {
        Map<String, String> files = new TreeMap<>();
        for (String folder : List.of("history", "inbox", "outbox", "data/demo-rdagent", "data/datasets")) {
            Path root = base().resolve(folder);
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.filter(Files::isRegularFile).filter(p -> !p.toString().contains("__pycache__")).toList()) {
                    files.put(base().relativize(path).toString(), Hashes.sha256(path));
                }
            }
        }
        return files;
    }
}
