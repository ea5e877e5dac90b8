package com.aistock.rdagent.dataset;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.Tasks;
import com.aistock.rdagent.system.Hashes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /datasets/upload-instruments in both forms, versions, names, the default, limits and deletes, over real HTTP. */
class DatasetApiTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POOL = "sh600000\t2015-01-05\t2020-12-31\r\n# bank\nSZ000001\n";
    private static final String NORMALISED = "SH600000\t2015-01-05\t2020-12-31\nSZ000001\t2015-01-05\t2020-12-31\n";

    @Test
    void multipartUploadCreatesADataset() throws IOException {
        Api.Response response = Datasets.uploadMultipart(api, "api_multipart", "pool.txt",
                POOL.getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode dataset = response.json();
        assertDataset(dataset, "api_multipart");
        assertThat(api.get("/api/rdagent/datasets").json().findValuesAsText("name")).contains("api_multipart");
    }

    @Test
    void plainTextUploadCreatesADataset() throws IOException {
        Api.Response response = Datasets.uploadText(api, "api_plain", POOL.getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertDataset(response.json(), "api_plain");
    }

    @Test
    void newContentIsANewVersionAndOldFilesStay() throws IOException {
        JsonNode first = Datasets.create(api, "api_versions", "SH600000\n");
        Api.Response same = Datasets.uploadText(api, "api_versions", "sh600000\r\n".getBytes(StandardCharsets.UTF_8));
        JsonNode second = Datasets.create(api, "api_versions", "SH600000\nSZ000001\n");

        assertThat(same.status()).as("same normalised content: no new version").isEqualTo(200);
        assertThat(same.json().path("id").asLong()).isEqualTo(first.path("id").asLong());
        assertThat(second.path("version").asInt()).isEqualTo(2);
        assertThat(second.path("market").asText()).isEqualTo(first.path("market").asText());
        assertThat(Datasets.file(base(), first)).hasContent("SH600000\t2015-01-05\t2020-12-31");
        assertThat(Datasets.file(base(), second)).hasContent(
                "SH600000\t2015-01-05\t2020-12-31\nSZ000001\t2015-01-05\t2020-12-31");
        assertThat(api.get("/api/rdagent/datasets").json().findValues("name").stream()
                .filter(name -> name.asText().equals("api_versions")).count()).isEqualTo(2);
    }

    @Test
    void badContentIsRefusedWithItsLineNumbers() {
        Api.Response response = Datasets.uploadText(api, "api_bad",
                "SH600000\nSH60000\n\nSZ000001\t2021-01-04\t2020-12-31\n".getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().path("error").asText()).isEqualTo("unprocessable");
        assertThat(response.json().path("field").asText()).isEqualTo("file");
        assertThat(response.json().path("message").asText()).isEqualTo("2 bad lines: "
                + "line 2: symbol 'SH60000' does not match ^(SH|SZ|BJ)\\d{6}$; line 4: start 2021-01-04 is after end 2020-12-31");
        assertThat(response.json().path("line").isMissingNode()).isTrue();
        assertThat(response.json().path("lines")).hasSize(2);
        assertThat(response.json().path("lines").get(1).path("line").asInt()).isEqualTo(4);
        assertThat(response.json().path("lines").get(1).path("message").asText()).isEqualTo("start 2021-01-04 is after end 2020-12-31");
        assertThat(api.get("/api/rdagent/datasets").json().findValuesAsText("name")).doesNotContain("api_bad");
    }

    /** A name is kept exactly or refused naming the field: nothing in it is trimmed, folded or replaced. */
    @Test
    void namesThatCannotBeKeptExactlyAreRefused() {
        byte[] pool = POOL.getBytes(StandardCharsets.UTF_8);
        for (String name : new String[]{"", " leading", "trailing ", "trailing\u3000", "nul\0", "tab\tbed",
                "\u202Eevil", "x".repeat(101)}) {
            for (Api.Response response : new Api.Response[]{Datasets.uploadText(api, name, pool),
                    Datasets.uploadMultipart(api, name, "p.txt", pool)}) {
                assertThat(response.status()).as("%s: %s", name, response.body()).isEqualTo(400);
                assertThat(response.json().path("field").asText()).isEqualTo("name");
            }
        }
        // Camel would hand a line break on as "_": the request is refused before it
        for (String name : new String[]{"new\nline", "cr\rhere"}) {
            Api.Response response = Datasets.uploadText(api, name, pool);
            assertThat(response.status()).as("%s: %s", name, response.body()).isEqualTo(400);
            assertThat(response.json().path("field").asText()).isEqualTo("name");
            assertThat(response.json().path("message").asText()).isEqualTo("must not contain line breaks");
        }
        assertThat(api.get("/api/rdagent/datasets").json().findValuesAsText("name")).noneMatch(n -> n.contains("leading"));
    }

    /** Names are only ever shown: shell, path and case are kept as given, and the market stays plain ASCII. */
    @Test
    void anyOtherNameIsKeptExactlyWithASafeMarket() throws IOException {
        for (String name : new String[]{"$(touch /tmp/rdagent-pwned)", "../evil", "a/b", "UPPER case", "..", ".hidden",
                "沪深 300 · 自选", "x".repeat(100), "2024", "0x1f"}) {
            JsonNode dataset = Datasets.create(api, name, "SH600000\n");

            assertThat(dataset.path("name").asText()).isEqualTo(name);
            // a letter first: the templates carry it unquoted, where 2024_1234 would be read as a number
            assertThat(dataset.path("market").asText()).matches("[a-z][a-z0-9_]{5,63}").isNotEqualTo("all");
            assertThat(Datasets.file(base(), dataset)).exists();
            assertThat(Datasets.file(base(), dataset).getParent()).isEqualTo(base().resolve("data/datasets"));
        }
        assertThat(Path.of("/tmp/rdagent-pwned")).doesNotExist();
        assertThat(base().resolve("data/evil")).doesNotExist();
    }

    @Test
    void aProviderUriIsCheckedLikeTheQlibTestButton() throws IOException {
        Path data = Files.createDirectories(base().resolve("other-qlib"));
        Api.Response relative = upload("api_provider", "relative/path", "SH600000\n");
        Api.Response empty = upload("api_provider", data.toString(), "SH600000\n");

        assertThat(relative.status()).isEqualTo(400);
        assertThat(relative.json().path("field").asText()).isEqualTo("provider_uri");
        assertThat(empty.status()).as(empty.body()).isEqualTo(422);
        assertThat(empty.json().path("field").asText()).isEqualTo("provider_uri");
        assertThat(empty.json().path("message").asText()).contains("calendar " + data.resolve("calendars/day.txt"))
                .contains("instruments " + data.resolve("instruments/all.txt")).contains("features " + data.resolve("features"));

        InstrumentsParserTest.qlibData(data, List.of("SH600000", "SH000300"));
        Files.createDirectories(data.resolve("features/sh000300"));
        Api.Response chosen = upload("api_provider", data.toString(), "SH600000\nSZ000001\n");

        assertThat(chosen.status()).as(chosen.body()).isEqualTo(201);
        assertThat(chosen.json().path("provider_uri").asText()).isEqualTo(data.toString());
        assertThat(chosen.json().path("warnings").findValuesAsText("symbol")).as("checked against that data")
                .containsExactly("SZ000001");
        assertThat(upload("api_provider", data.toString(), "SH600000\nSZ000001\n").status())
                .as("same content, same data: no new version").isEqualTo(200);
        JsonNode defaultData = Datasets.create(api, "api_provider", "SH600000\nSZ000001\n");
        assertThat(defaultData.path("version").asInt()).as("same content on other data is a new version").isEqualTo(2);
        assertThat(defaultData.path("warnings")).isEmpty();
    }

    private Api.Response upload(String name, String providerUri, String content) {
        return api.send(api.request(Datasets.UPLOAD + "?name=" + name + "&provider_uri=" + providerUri)
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(content)));
    }

    @Test
    void uploadsOverTheLimitAreRefusedWith413Json() {
        byte[] big = new byte[30 << 20];
        Arrays.fill(big, (byte) 'A');

        for (Api.Response response : new Api.Response[]{Datasets.uploadMultipart(api, "api_big", "big.txt", big),
                Datasets.uploadText(api, "api_big", big)}) {
            assertThat(response.status()).as(response.body()).isEqualTo(413);
            assertThat(response.json().path("error").asText()).isEqualTo("too_large");
            assertThat(response.json().path("message").asText()).isEqualTo("larger than the limit of 20 MiB");
        }
    }

    /** A body without a length cannot be refused before Camel has read all of it, so it is not taken. */
    @Test
    void chunkedPlainTextIsRefused() {
        Api.Response response = api.send(api.request(Datasets.UPLOAD + "?name=api_chunked")
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(POOL.getBytes(StandardCharsets.UTF_8)))));

        assertThat(response.status()).isEqualTo(411);
        assertThat(response.json().path("error").asText()).isEqualTo("validation");
    }

    @Test
    void theDefaultFollowsSetDefaultAndNewVersions() {
        long one = Datasets.create(api, "api_default_one", "SH600000\n").path("id").asLong();
        long two = Datasets.create(api, "api_default_two", "SZ000001\n").path("id").asLong();

        assertThat(api.post("/api/rdagent/datasets/" + one + "/default", "").json().path("is_default").asBoolean()).isTrue();
        JsonNode switched = api.post("/api/rdagent/datasets/" + two + "/default", "").json();
        JsonNode newVersion = Datasets.create(api, "api_default_two", "SZ000001\nSZ000002\n");

        assertThat(switched.path("is_default").asBoolean()).isTrue();
        assertThat(newVersion.path("is_default").asBoolean()).as("a new version of the default stays the default").isTrue();
        JsonNode all = api.get("/api/rdagent/datasets").json();
        assertThat(all.findValues("is_default").stream().filter(JsonNode::asBoolean).count()).isEqualTo(1);
        assertThat(api.post("/api/rdagent/datasets/999999/default", "").status()).isEqualTo(404);
        // leave no default behind: later tests expect tasks without dataset_ids to use the templates as they are
        for (JsonNode dataset : all) {
            if (dataset.path("name").asText().startsWith("api_default_")) {
                assertThat(api.delete("/api/rdagent/datasets/" + dataset.path("id").asLong()).status()).isEqualTo(200);
            }
        }
    }

    @Test
    void aDatasetInUseCannotBeDeletedAndADeletedOneIsKeptHidden() {
        JsonNode dataset = Datasets.create(api, "api_in_use", "SH600000\n");
        long id = dataset.path("id").asLong();
        long task = Tasks.submit(api, "{\"dataset_ids\": [" + id + "], \"loop_n\": 100,"
                + " \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"1\"}}");

        Api.Response refused = api.delete("/api/rdagent/datasets/" + id);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("error").asText()).isEqualTo("conflict");
        assertThat(refused.json().path("message").asText()).contains("'api_in_use' v1").contains("task(s) [" + task + "]");
        api.post("/api/rdagent/tasks/" + task + "/cancel", "");
        Tasks.awaitStatus(api, task, "CANCELLED", Duration.ofSeconds(40));

        Api.Response deleted = api.delete("/api/rdagent/datasets/" + id);

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().path("deleted_at").asText()).isNotBlank();
        assertThat(deleted.json().path("deleted_by").asText()).isEqualTo("admin");
        assertThat(Datasets.file(base(), dataset)).as("kept for the task that ran on it").exists();
        assertThat(api.get("/api/rdagent/datasets").json().findValuesAsText("name")).doesNotContain("api_in_use");
        assertThat(api.get("/api/rdagent/datasets?include_deleted=true").json().findValuesAsText("name")).contains("api_in_use");
        assertThat(api.get("/api/rdagent/datasets/" + id).json().path("name").asText()).isEqualTo("api_in_use");
        assertThat(api.delete("/api/rdagent/datasets/" + id).json().path("deleted_at"))
                .as("deleting again changes nothing").isEqualTo(deleted.json().path("deleted_at"));
        assertThat(api.post("/api/rdagent/datasets/" + id + "/default", "").status()).isEqualTo(409);
        assertThat(api.delete("/api/rdagent/datasets/99999999").status()).isEqualTo(404);
        assertThat(api.delete("/api/rdagent/datasets/abc").json().path("message").asText())
                .isEqualTo("must be a positive id");
        assertThat(api.get("/api/rdagent/datasets?include_deleted=yes").status()).isEqualTo(400);

        JsonNode again = Datasets.create(api, "api_in_use", "SH600000\n");
        assertThat(again.path("version").asInt()).as("a version number is never given twice").isEqualTo(2);
        assertThat(again.path("market").asText()).isEqualTo(dataset.path("market").asText());
    }

    private void assertDataset(JsonNode dataset, String name) throws IOException {
        assertThat(dataset.path("name").asText()).isEqualTo(name);
        assertThat(dataset.path("market").asText()).startsWith(name + "_").matches("[a-z0-9_]+");
        assertThat(dataset.path("version").asInt()).isEqualTo(1);
        assertThat(dataset.path("symbol_count").asInt()).isEqualTo(2);
        assertThat(dataset.path("start_date").asText()).isEqualTo("2015-01-05");
        assertThat(dataset.path("end_date").asText()).isEqualTo("2020-12-31");
        assertThat(dataset.path("is_default").asBoolean()).isFalse();
        assertThat(dataset.path("provider_uri").asText()).isEqualTo(base().resolve("data/demo-qlib/cn_data").toString());
        assertThat(dataset.path("sha256").asText()).isEqualTo(Hashes.sha256(NORMALISED.getBytes(StandardCharsets.UTF_8)));
        assertThat(dataset.has("instruments_file")).isFalse();
        assertThat(dataset.path("encoding").asText()).isEqualTo("UTF-8");
        assertThat(dataset.path("warnings")).isEmpty();
        assertThat(dataset.path("normalised")).isEqualTo(JSON.readTree("[{\"line\": 1, \"from\": \"sh600000\", \"to\": \"SH600000\"}]"));
        assertThat(dataset.path("deleted_at").isNull()).isTrue();
        assertThat(Files.readString(Datasets.file(base(), dataset))).isEqualTo(NORMALISED);
    }
}
