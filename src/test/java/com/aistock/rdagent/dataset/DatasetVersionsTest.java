package com.aistock.rdagent.dataset;

import java.time.Duration;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Versions and lineage: what changed between two versions of a pool, and a deleted version that old tasks still
 * name but no new task, rerun or schedule may use.
 */
class DatasetVersionsTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FINISH = Duration.ofSeconds(90);

    @Test
    void theDiffListsExactlyTheSymbolsAddedRemovedAndChanged() throws Exception {
        JsonNode v1 = Datasets.create(api, "diff_pool", """
                SH600000\t2015-01-05\t2020-12-31
                SH600009\t2015-01-05\t2020-12-31
                SZ000001\t2016-01-04\t2020-12-31
                SZ000002\t2015-01-05\t2017-12-29
                SZ000002\t2019-01-02\t2020-12-31
                """);
        JsonNode v2 = Datasets.create(api, "diff_pool", """
                SH600000\t2015-01-05\t2020-12-31
                SZ000001\t2018-01-02\t2020-12-31
                SZ000002\t2015-01-05\t2017-12-29
                SZ000002\t2019-01-02\t2020-12-31
                BJ430047\t2015-01-05\t2020-12-31
                SZ000063\t2015-01-05\t2020-12-31
                """);

        Api.Response diff = api.get("/api/rdagent/datasets/" + v1.path("id").asLong() + "/versions/1/diff/2");

        assertThat(diff.status()).as(diff.body()).isEqualTo(200);
        assertThat(diff.json()).isEqualTo(JSON.readTree("""
                {"name": "diff_pool", "market": "%s",
                 "from": {"id": %d, "version": 1, "symbol_count": 4, "deleted": false},
                 "to": {"id": %d, "version": 2, "symbol_count": 5, "deleted": false},
                 "added": ["BJ430047", "SZ000063"], "removed": ["SH600009"],
                 "changed": [{"symbol": "SZ000001", "from": [{"start": "2016-01-04", "end": "2020-12-31"}],
                                                    "to": [{"start": "2018-01-02", "end": "2020-12-31"}]}]}
                """.formatted(v1.path("market").asText(), v1.path("id").asLong(), v2.path("id").asLong())));
        JsonNode back = api.get("/api/rdagent/datasets/" + v2.path("id").asLong() + "/versions/2/diff/1").json();
        assertThat(back.path("added").toString()).isEqualTo("[\"SH600009\"]");
        assertThat(back.path("removed").toString()).isEqualTo("[\"BJ430047\",\"SZ000063\"]");
        assertThat(api.get("/api/rdagent/datasets/" + v1.path("id").asLong() + "/versions/1/diff/3").status()).isEqualTo(404);
        assertThat(api.get("/api/rdagent/datasets/" + v1.path("id").asLong() + "/versions/x/diff/2").json()
                .path("field").asText()).isEqualTo("a");
        JsonNode versions = api.get("/api/rdagent/datasets/" + v1.path("id").asLong() + "/versions").json();
        assertThat(versions.findValuesAsText("version")).containsExactly("2", "1");
    }

    @Test
    void aDeletedVersionIsRefusedToRerunsTasksAndSchedulesWhileOldTasksStillNameIt() {
        JsonNode dataset = Datasets.create(api, "股票池 lineage", "SH600000\nSZ000001\n");
        long id = dataset.path("id").asLong();
        Api.Response created = api.post("/api/rdagent/schedules", """
                {"name": "on the pool", "cron": "0 0 9 * * ?", "enabled": false,
                 "task": {"loop_n": 1, "dataset_ids": [%d]}}""".formatted(id));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long schedule = created.json().path("id").asLong();
        long task = Tasks.submit(api, "{\"dataset_ids\": [" + id + "], \"loop_n\": 1,"
                + " \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
        Tasks.awaitFinished(api, task, FINISH);

        assertThat(api.delete("/api/rdagent/datasets/" + id).status()).isEqualTo(200);

        String named = "dataset '股票池 lineage' v1 (id " + id + ") was deleted";
        Api.Response rerun = api.post("/api/rdagent/tasks/" + task + "/rerun", "");
        assertThat(rerun.status()).as(rerun.body()).isEqualTo(409);
        assertThat(rerun.json().path("message").asText()).startsWith(named);
        assertThat(rerun.json().path("field").asText()).isEqualTo("dataset_ids");
        Api.Response fresh = api.post("/api/rdagent/tasks", "{\"dataset_ids\": [" + id + "]}");
        assertThat(fresh.status()).isEqualTo(409);
        assertThat(fresh.json().path("message").asText()).startsWith(named);
        Api.Response ranNow = api.post("/api/rdagent/schedules/" + schedule + "/run-now", "");
        assertThat(ranNow.status()).as(ranNow.body()).isEqualTo(409);
        assertThat(ranNow.json().path("message").asText()).startsWith(named);
        Api.Response saved = api.post("/api/rdagent/schedules", """
                {"name": "too late", "cron": "0 0 9 * * ?", "task": {"dataset_ids": [%d]}}""".formatted(id));
        assertThat(saved.status()).isEqualTo(409);
        assertThat(saved.json().path("field").asText()).isEqualTo("task.dataset_ids");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM rdagent_task WHERE dataset_id = ?", Long.class, id))
                .as("nothing accepted to fail later").isOne();

        JsonNode old = Tasks.get(api, task);
        assertThat(old.path("dataset_id").asLong()).isEqualTo(id);
        JsonNode shown = api.get("/api/rdagent/datasets/" + old.path("dataset_id").asLong()).json();
        assertThat(shown.path("name").asText()).isEqualTo("股票池 lineage");
        assertThat(shown.path("version").asInt()).isEqualTo(1);
        assertThat(shown.path("deleted_at").isNull()).isFalse();
        assertThat(Datasets.file(base(), shown)).exists();
    }

    @Test
    void unknownSymbolsAreImportedWithWarningsByDefault() throws Exception {
        Api.Response response = Datasets.uploadText(api, "warned pool",
                "SH600000\nSH688999\n600000.sz\nSZ000001\t2014-01-02\t2020-12-31\n".getBytes());

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode dataset = response.json();
        assertThat(dataset.path("warning_count").asInt()).isEqualTo(3);
        assertThat(dataset.path("warnings").findValuesAsText("line")).containsExactly("2", "3", "4");
        assertThat(dataset.path("warnings").findValuesAsText("symbol")).containsExactly("SH688999", "SZ600000", "SZ000001");
        assertThat(dataset.path("warnings").get(2).path("message").asText())
                .isEqualTo("2014-01-02..2020-12-31 is outside the calendar 2015-01-05..2020-12-31");
        assertThat(dataset.path("normalised")).isEqualTo(JSON.readTree("[{\"line\": 3, \"from\": \"600000.sz\", \"to\": \"SZ600000\"}]"));
        assertThat(api.get("/api/rdagent/datasets/" + dataset.path("id").asLong()).json().path("warnings"))
                .as("kept with the version").isEqualTo(dataset.path("warnings"));
    }
}
