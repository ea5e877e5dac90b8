package com.aistock.rdagent.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.aistock.rdagent.config.RdAgentFiles;
import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.Tasks;
import com.aistock.rdagent.system.Hashes;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** Datasets reach runs (SPEC 5.3): the market and data folder in every template snapshot, the instruments file in place. */
class DatasetRunTest extends IntegrationTest {

    private static final Duration RUN = Duration.ofSeconds(90);
    private static final Pattern TEMPLATE_LINE = Pattern.compile("Template (\\S+) sha256=\\S+ market=(\\S*) provider_uri=(\\S*)");

    @Autowired
    private DatasetInstaller installer;

    @Test
    void aTaskOnMypoolRunsWithItsMarketAndInstrumentsWhileTheLiveTemplatesStay() throws IOException {
        Map<String, String> live = liveTemplateHashes();
        JsonNode mypool = Datasets.create(api, "我的 Pool", "SH600000\t2016-01-04\t2020-12-31\nSZ000001\nBJ430047\n");
        Path providerUri = Path.of(mypool.path("provider_uri").asText());
        String market = mypool.path("market").asText();

        long id = Tasks.submit(api, "{\"dataset_ids\": [" + mypool.path("id").asLong() + "], \"loop_n\": 1,"
                + " \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
        JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", RUN);

        assertThat(task.path("dataset_id").asLong()).isEqualTo(mypool.path("id").asLong());
        Map<String, String> markets = templatesAsRun(task);
        assertThat(markets).as("what the simulator read from each template")
                .hasSize(5).allSatisfy((file, read) -> assertThat(read).isEqualTo(market + " " + providerUri));
        try (Stream<Path> snapshot = Files.list(Path.of(task.path("workspace_path").asText(), "config"))) {
            assertThat(snapshot.filter(p -> p.toString().endsWith(".yaml")).toList()).hasSize(5)
                    .allSatisfy(template -> assertThat(template).content().as("anchor kept")
                            .contains("market: &market " + market + "\n").contains("instruments: *market"));
        }
        Path instruments = providerUri.resolve("instruments/" + market + ".txt");
        assertThat(instruments).hasSameBinaryContentAs(Datasets.file(base(), mypool));
        assertThat(Files.readString(instruments)).isEqualTo(
                "SH600000\t2016-01-04\t2020-12-31\nSZ000001\t2016-01-04\t2020-12-31\nBJ430047\t2016-01-04\t2020-12-31\n");
        assertThat(liveTemplateHashes()).as("live templates are never written by a run").isEqualTo(live);
        assertThat(Files.readString(installation().resolve(RdAgentFiles.TEMPLATES.get(0)))).contains("market: &market csi300");
    }

    @Test
    void twoDatasetsInOnePostAreTwoTasksOfOneBatchEachWithItsOwnMarket() throws IOException {
        JsonNode one = Datasets.create(api, "batch one", "SH600000\n");
        JsonNode two = Datasets.create(api, "batch two", "SZ000001\n");
        long first = one.path("id").asLong();
        long second = two.path("id").asLong();

        Api.Response response = api.post("/api/rdagent/tasks", "{\"dataset_ids\": [" + first + ", " + second + "],"
                + " \"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode batch = response.json();
        assertThat(batch.path("batch_id").asText()).isNotBlank();
        assertThat(batch.path("tasks")).hasSize(2);
        List<String> markets = new ArrayList<>();
        for (JsonNode created : batch.path("tasks")) {
            assertThat(created.path("batch_id").asText()).isEqualTo(batch.path("batch_id").asText());
            JsonNode task = Tasks.awaitStatus(api, created.path("id").asLong(), "SUCCEEDED", RUN);
            Map<String, String> asRun = templatesAsRun(task);
            assertThat(asRun).hasSize(5);
            assertThat(asRun.values()).as("one market across the five templates").hasSize(5).allMatch(asRun.values().iterator().next()::equals);
            markets.add(asRun.values().iterator().next().split(" ")[0]);
        }
        assertThat(markets).containsExactly(one.path("market").asText(), two.path("market").asText());
    }

    @Test
    void withoutDatasetIdsTheDefaultDatasetIsUsed() {
        JsonNode created = Datasets.create(api, "default_pool", "SH600000\n");
        long pool = created.path("id").asLong();
        api.post("/api/rdagent/datasets/" + pool + "/default", "");

        long id = Tasks.submit(api, "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
        JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", RUN);

        assertThat(task.path("dataset_id").asLong()).isEqualTo(pool);
        assertThat(templatesAsRun(task).values()).allMatch(read -> read.startsWith(created.path("market").asText() + " "));
        // leave no default behind for the other tests
        assertThat(api.delete("/api/rdagent/datasets/" + pool).status()).isEqualTo(200);
    }

    @Test
    void installingBacksUpADifferentFileAndSkipsAnIdenticalOne() throws IOException {
        JsonNode dataset = Datasets.create(api, "install_pool", "SH600000\n");
        String fileName = dataset.path("market").asText() + ".txt";
        Path target = Path.of(dataset.path("provider_uri").asText(), "instruments", fileName);
        Files.createDirectories(target.getParent());
        Files.writeString(target, "SH600009\t2015-01-05\t2020-12-31\n");

        installer.install(dataset.path("id").asLong());

        assertThat(target).hasSameBinaryContentAs(Datasets.file(base(), dataset));
        List<Path> backups = backupsOf(fileName);
        assertThat(backups).hasSize(1);
        assertThat(backups.get(0)).hasContent("SH600009\t2015-01-05\t2020-12-31");
        assertThat(backups.get(0).getParent().getParent()).isEqualTo(base().resolve("history"));

        installer.install(dataset.path("id").asLong());

        assertThat(backupsOf(fileName)).as("the same content is not installed again").hasSize(1);
    }

    /** Template file → "market provider_uri", from the lines the simulator prints about each template it read. */
    private static Map<String, String> templatesAsRun(JsonNode task) {
        Map<String, String> read = new LinkedHashMap<>();
        try {
            Matcher matcher = TEMPLATE_LINE.matcher(Files.readString(Path.of(task.path("workspace_path").asText(), "run.log")));
            while (matcher.find()) {
                read.put(matcher.group(1), matcher.group(2) + " " + matcher.group(3));
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return read;
    }

    private Map<String, String> liveTemplateHashes() throws IOException {
        Map<String, String> hashes = new LinkedHashMap<>();
        for (String file : RdAgentFiles.TEMPLATES) {
            hashes.put(file, Hashes.sha256(installation().resolve(file)));
        }
        return hashes;
    }

    private static Path installation() {
        return base().resolve("data/demo-rdagent");
    }

    private static List<Path> backupsOf(String fileName) throws IOException {
        try (Stream<Path> files = Files.walk(base().resolve("history"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("_instruments_" + fileName)).toList();
        }
    }
}
