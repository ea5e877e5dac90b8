package com.aistock.rdagent.task;

import java.util.stream.Stream;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Every bad body is refused with 400 naming its field, and nothing is stored. */
class TaskValidationTest extends IntegrationTest {

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("{\"loop_n\": 0}", "loop_n"),
                Arguments.of("{\"loop_n\": 1000000}", "loop_n"),
                Arguments.of("{\"loop_n\": \"3\"}", "loop_n"),
                Arguments.of("{\"loop_n\": 2.5}", "loop_n"),
                Arguments.of("{\"step_n\": 0}", "step_n"),
                Arguments.of("{\"all_duration\": \"1h30m\"}", "all_duration"),
                Arguments.of("{\"all_duration\": \"PT1H\"}", "all_duration"),
                Arguments.of("{\"all_duration\": \"1H\"}", "all_duration"),
                Arguments.of("{\"all_duration\": \"; rm -rf /\"}", "all_duration"),
                Arguments.of("{\"all_duration\": 3600}", "all_duration"),
                Arguments.of("{\"timeout\": \"01:00:00\"}", "timeout"),
                Arguments.of("{\"timeout\": \"0\"}", "timeout"),
                Arguments.of("{\"scenario\": \"fin_crypto\"}", "scenario"),
                Arguments.of("{\"scenario\": \"fin_quant --trace x\"}", "scenario"),
                Arguments.of("{\"evolving_mode\": \"greedy\"}", "evolving_mode"),
                Arguments.of("{\"knowledge_base\": \"yes\"}", "knowledge_base"),
                Arguments.of("{\"n_epochs\": -1}", "n_epochs"),
                Arguments.of("{\"batch_size\": 0}", "batch_size"),
                Arguments.of("{\"n_jobs\": \"4\"}", "n_jobs"),
                Arguments.of("{\"env\": {\"lower\": \"x\"}}", "env"),
                Arguments.of("{\"env\": {\"LOG_TRACE_PATH\": \"/tmp/x\"}}", "env"),
                Arguments.of("{\"env\": {\"BIG\": \"" + "x".repeat(4097) + "\"}}", "env"),
                Arguments.of("{\"env\": [\"A=1\"]}", "env"),
                Arguments.of("{\"train_start\": \"2018-01-01\", \"train_end\": \"2017-01-01\"}", "train_end"),
                Arguments.of("{\"valid_end\": \"2019-01-01\", \"test_start\": \"2018-06-01\"}", "test_start"),
                Arguments.of("{\"test_end\": \"2020-13-01\"}", "test_end"),
                Arguments.of("{\"train_start\": \"20180101\"}", "train_start"),
                Arguments.of("{\"name\": \"" + "名".repeat(101) + "\"}", "name"),
                Arguments.of("{\"name\": 42}", "name"),
                Arguments.of("{\"priority\": 99999999999}", "priority"),
                Arguments.of("{\"dataset_ids\": [\"a\"]}", "dataset_ids"),
                Arguments.of("{\"dataset_ids\": [987654321]}", "dataset_ids"),
                Arguments.of("{\"source_history_ids\": [987654321]}", "source_history_ids"),
                Arguments.of("{\"source_history_ids\": [1], \"sourceHistoryId\": [1]}", "sourceHistoryId"),
                // an empty alias (generated clients send every list) is no value: the other one is read
                Arguments.of("{\"source_history_ids\": [987654321], \"sourceHistoryId\": []}", "source_history_ids"),
                Arguments.of("{\"callback_url\": \"file:///etc/passwd\"}", "callback_url"),
                Arguments.of("{\"loop_n\": 1, \"trace\": true}", "trace"),
                Arguments.of("{\"loop_n\": ", "body"),
                Arguments.of("[1, 2]", "body"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("badBodies")
    void badBodyIsRefusedNamingTheFieldAndStoresNothing(String body, String field) {
        long tasksBefore = count("rdagent_task");
        long blobsBefore = count("rdagent_template_blob");

        Api.Response response = api.post("/api/rdagent/tasks", body);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        JsonNode error = response.json();
        assertThat(error.path("error").asText()).isEqualTo("validation");
        assertThat(error.path("field").asText()).isEqualTo(field);
        assertThat(error.path("message").asText()).isNotBlank().doesNotContain("Exception");
        assertThat(count("rdagent_task")).isEqualTo(tasksBefore);
        assertThat(count("rdagent_template_blob")).isEqualTo(blobsBefore);
    }

    @Test
    void listingRefusesBadParameters() {
        assertThat(api.get("/api/rdagent/tasks?status=DONE").json().path("field").asText()).isEqualTo("status");
        assertThat(api.get("/api/rdagent/tasks?size=201").json().path("field").asText()).isEqualTo("size");
        assertThat(api.get("/api/rdagent/tasks?page=-1").json().path("field").asText()).isEqualTo("page");
        assertThat(api.get("/api/rdagent/tasks/abc").json().path("field").asText()).isEqualTo("id");
        assertThat(api.get("/api/rdagent/tasks/abc").status()).isEqualTo(400);
        assertThat(api.get("/api/rdagent/tasks/123456789").status()).isEqualTo(404);
    }

    private long count(String table) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table, Long.class);
    }
}
