package com.aistock.rdagent.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.NodeProcess;
import com.aistock.rdagent.system.Hashes;
import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scheduler JVMs on one RD-Agent home (as API nodes on shared storage are). Two of them writing one file: writes
 * are serialised across them, so every write lands with its own backup of the content it replaced, or answers 409,
 * and the versions form one chain without a gap; neither node's watch takes the other's writes for drift. One
 * restarted: a change made while it was stopped is recorded as drift at start, before anyone asks for the file.
 */
class ConfigNodesIT {

    private static final Path ROOT = Path.of("target", "config-cluster-it").toAbsolutePath();
    private static final Path DEMO_HOME = Path.of("src", "main", "resources", "demo", "rdagent-home").toAbsolutePath();
    private static final String FILE = RdAgentFiles.TEMPLATES.get(1);
    private static final int WRITES = 50;

    private Path run;
    private EmbeddedPostgres postgres;
    private final List<NodeProcess> nodes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        run = ROOT.resolve(UUID.randomUUID().toString());
        Files.createDirectories(run.resolve("pg"));
        postgres = EmbeddedPostgres.builder().setDataDirectory(run.resolve("pg")).setCleanDataDirectory(false).start();
        Path home = run.resolve("rdagent-home");
        try (Stream<Path> files = Files.walk(DEMO_HOME)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = home.resolve(DEMO_HOME.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
        String jdbcUrl = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
        for (String id : List.of("api-a", "api-b")) {
            nodes.add(new NodeProcess(id, run.resolve(id), jdbcUrl, List.of(
                    "--scheduler.node.roles=api", "--scheduler.rdagent.home=" + home,
                    "--scheduler.rdagent.python=/usr/bin/python3",
                    "--scheduler.history-dir=" + run.resolve("shared/history"))));
        }
    }

    @AfterEach
    void stop() throws Exception {
        NodeProcess.stopAll(nodes);
        postgres.close();
    }

    private record Landed(long versionId, long replacedId, String expectedSha256) {
    }

    @Test
    void fiftyWritesFromEachNodeLandWithTheirOwnBackupsOrConflictAndTheChainHasNoGap() throws Exception {
        // one after the other: the first applies the migrations
        for (NodeProcess node : nodes) {
            node.start();
        }
        JsonNode first = nodes.get(0).api().get("/api/rdagent/templates/content?file=" + FILE).json();
        long start = first.path("version").path("id").asLong();
        ExecutorService writers = Executors.newFixedThreadPool(2);
        List<Future<List<Object>>> outcomes = new ArrayList<>();
        try {
            for (NodeProcess node : nodes) {
                outcomes.add(writers.submit(() -> write(node)));
            }
            List<Landed> landed = new ArrayList<>();
            int conflicts = 0;
            for (Future<List<Object>> outcome : outcomes) {
                List<Object> answers = outcome.get(10, TimeUnit.MINUTES);
                assertThat(answers).as("each node lands writes").anyMatch(Landed.class::isInstance);
                for (Object answer : answers) {
                    if (answer instanceof Landed write) {
                        landed.add(write);
                    } else {
                        conflicts++;
                    }
                }
            }

            assertThat(landed.size() + conflicts).isEqualTo(2 * WRITES);
            Map<Long, Map<String, Object>> versions = versions();
            Set<Long> backups = new HashSet<>();
            for (Landed write : landed) {
                Map<String, Object> replaced = versions.get(write.replacedId());
                assertThat(replaced.get("replaced_by")).isEqualTo(write.versionId());
                assertThat(((String) replaced.get("sha256")).strip()).isEqualTo(write.expectedSha256());
                Path backup = run.resolve("shared/history").resolve((String) replaced.get("history_path"));
                assertThat(Hashes.sha256(Files.readAllBytes(backup))).as("its own backup: %s", backup)
                        .isEqualTo(write.expectedSha256());
                assertThat(backups.add(write.replacedId())).as("one write per replaced version").isTrue();
            }
            // one chain from the version before the writes to the one the file holds now
            List<Long> chain = new ArrayList<>(List.of(start));
            for (Long next = (Long) versions.get(start).get("replaced_by"); next != null;
                 next = (Long) versions.get(next).get("replaced_by")) {
                chain.add(next);
            }
            assertThat(chain).hasSize(landed.size() + 1)
                    .containsAll(landed.stream().map(Landed::versionId).toList());
            Map<String, Object> current = versions.get(chain.get(chain.size() - 1));
            assertThat(((String) current.get("sha256")).strip())
                    .isEqualTo(Hashes.sha256(Files.readAllBytes(run.resolve("rdagent-home").resolve(FILE))));
            assertThat(versions.values()).as("no write taken for a change outside the service")
                    .noneMatch(version -> version.get("kind").equals("drift"));
            try (Stream<Path> copies = Files.walk(run.resolve("shared/history"))) {
                assertThat(copies.filter(p -> p.getFileName().toString().endsWith("_" + RdAgentFiles.fileName(FILE))))
                        .hasSize(landed.size());
            }
        } finally {
            writers.shutdownNow();
        }
    }

    @Test
    void aChangeMadeWhileTheServiceWasStoppedIsRecordedAsDriftAtStart() throws Exception {
        NodeProcess node = nodes.get(0).start();
        JsonNode before = node.api().get("/api/rdagent/templates/content?file=" + FILE).json();
        long previous = before.path("version").path("id").asLong();
        String old = before.path("content").asText();
        node.stop();
        Path live = run.resolve("rdagent-home").resolve(FILE);
        String edited = old + "# edited while the service was stopped\n";
        Files.writeString(live, edited);
        String sha256 = Hashes.sha256(edited.getBytes(StandardCharsets.UTF_8));

        node.start();

        // nothing asks the service about the file: its own look at start records the change
        long drift = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> versions().entrySet().stream()
                        .filter(v -> v.getValue().get("kind").equals("drift")
                                && ((String) v.getValue().get("sha256")).strip().equals(sha256))
                        .map(Map.Entry::getKey).findFirst().orElse(null), id -> id != null);
        Map<String, Object> replaced = versions().get(previous);
        assertThat(replaced.get("replaced_by")).isEqualTo(drift);
        assertThat(run.resolve("shared/history").resolve((String) replaced.get("history_path")))
                .as("the last known content, kept").hasContent(old);
        assertThat(live).as("nothing repaired").hasContent(edited);
        JsonNode shown = node.api().get("/api/rdagent/templates/history/" + drift).json();
        assertThat(shown.path("operator").asText()).isEqualTo("filesystem");
        assertThat(shown.path("current").asBoolean()).isTrue();
    }

    /** Reads the file and writes it back with one more line, {@value WRITES} times: a Landed or 409 each. */
    private List<Object> write(NodeProcess node) {
        Api api = node.api();
        List<Object> answers = new ArrayList<>();
        for (int i = 0; i < WRITES; i++) {
            JsonNode current = api.get("/api/rdagent/templates/content?file=" + FILE).json();
            String sha256 = current.path("sha256").asText();
            Api.Response response = api.put("/api/rdagent/templates/content?file=" + FILE, Api.json(Map.of(
                    "content", current.path("content").asText() + "# " + node.id() + " write " + i + "\n",
                    "expected_sha256", sha256, "note", node.id() + " write " + i)));
            assertThat(response.status()).as(response.body()).isIn(200, 409);
            answers.add(response.status() == 200 ? new Landed(response.json().path("version_id").asLong(),
                    response.json().path("history_id").asLong(), sha256) : "conflict");
        }
        return answers;
    }

    private Map<Long, Map<String, Object>> versions() throws Exception {
        Map<Long, Map<String, Object>> versions = new HashMap<>();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT id, kind, sha256, history_path, replaced_by FROM rdagent_template_history WHERE file = ?")) {
            select.setString(1, FILE);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> version = new HashMap<>();
                    version.put("kind", rs.getString("kind"));
                    version.put("sha256", rs.getString("sha256"));
                    version.put("history_path", rs.getString("history_path"));
                    version.put("replaced_by", rs.getObject("replaced_by", Long.class));
                    versions.put(rs.getLong("id"), version);
                }
            }
        }
        return versions;
    }
}
