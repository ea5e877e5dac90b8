package com.aistock.rdagent.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.aistock.rdagent.task.TaskCallbacks;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;

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

    /** Done once the completion webhook of {@code taskId}, all its retries included, is over. */
    public static NotifyBuilder callbackOver(CamelContext camelContext, long taskId) {
        return new NotifyBuilder(camelContext).fromRoute("task-callback")
                .filter(exchange -> Long.valueOf(taskId).equals(exchange.getMessage().getHeader(TaskCallbacks.TASK_ID, Long.class)))
                .whenDone(1).create();
    }

    /** Cancels every pending and running task, and waits until none is left. */
    public static void cancelAll(Api api) {
        for (String status : new String[] {"PENDING", "RUNNING"}) {
            for (List<Long> page = active(api, status); !page.isEmpty(); page = active(api, status)) {
                page.forEach(id -> api.post("/api/rdagent/tasks/" + id + "/cancel", ""));
                if (status.equals("RUNNING")) {
                    break; // running ones stop in their own time: awaited below
                }
            }
        }
        awaitIdle(api);
    }

    /** Waits until no task is pending or running, as the task list shows it. */
    public static void awaitIdle(Api api) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> active(api, "PENDING").isEmpty() && active(api, "RUNNING").isEmpty());
    }

    private static List<Long> active(Api api, String status) {
        Api.Response page = api.get("/api/rdagent/tasks?size=200&status=" + status);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        page.json().path("items").forEach(task -> ids.add(task.path("id").asLong()));
        return ids;
    }

    public static JsonNode awaitFinished(Api api, long id, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(100))
                .until(() -> FINISHED.contains(get(api, id).path("status").asText()));
        return get(api, id);
    }
}
