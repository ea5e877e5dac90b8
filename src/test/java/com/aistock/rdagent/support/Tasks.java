package com.aistock.rdagent.support;

import java.time.Duration;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Task helpers shared by the pipeline tests. */
public final class Tasks {

    public static final Set<String> FINISHED = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");

    private Tasks() {
    }

    public static long submit(Api api, String json) {
        Api.Response response = api.post("/api/rdagent/tasks", json);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().path("id").asLong();
    }

    public static JsonNode get(Api api, long id) {
        Api.Response response = api.get("/api/rdagent/tasks/" + id);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    public static JsonNode awaitStatus(Api api, long id, String status, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(100))
                .until(() -> get(api, id).path("status").asText(), s -> s.equals(status) || FINISHED.contains(s));
        JsonNode task = get(api, id);
        assertThat(task.path("status").asText()).as(task.toPrettyString()).isEqualTo(status);
        return task;
    }

    public static JsonNode awaitFinished(Api api, long id, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(100))
                .until(() -> FINISHED.contains(get(api, id).path("status").asText()));
        return get(api, id);
    }
}
