package com.aistock.rdagent.task;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import com.aistock.rdagent.system.Hashes;
import com.aistock.rdagent.system.SchedulerMetrics;
import com.aistock.rdagent.system.SqlFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The completion webhook: POSTs the final task JSON to its {@code callback_url}. Each attempt is recorded; a
 * failing callback never changes the task.
 */
@Component("taskCallbacks")
public class TaskCallbacks implements Processor {

    public static final String TASK_ID = "taskId";
    public static final String SIGNATURE = "X-RDAgent-Signature";

    private final TaskStore tasks;
    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper objectMapper;
    private final SchedulerMetrics metrics;
    private final String signingSecret;

    public TaskCallbacks(TaskStore tasks, NamedParameterJdbcTemplate jdbc, ObjectMapper objectMapper,
                         SchedulerMetrics metrics, @Value("${scheduler.callbacks.signing-secret:}") String signingSecret) {
        this.tasks = tasks;
        this.jdbc = jdbc;
        this.objectMapper = objectMapper;
        this.metrics = metrics;
        this.signingSecret = signingSecret;
    }

    /**
     * Leaves a clean message: the task JSON, POST, and the target in {@code CamelHttpUri}; no URL, no call. With a
     * signing secret the body is signed as the notification webhooks are ({@code X-RDAgent-Signature}).
     */
    public void prepare(@Header(TASK_ID) long taskId, Exchange exchange) throws JsonProcessingException {
        Task task = tasks.find(taskId).orElseThrow();
        String url = task.params().path("callback_url").asText(null);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(TASK_ID, taskId);
        if (url != null) {
            exchange.getMessage().setHeader(Exchange.HTTP_URI, url);
            exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
            String body = objectMapper.writeValueAsString(task);
            if (!signingSecret.isBlank()) {
                exchange.getMessage().setHeader(SIGNATURE, Hashes.webhookSignature(signingSecret, body.getBytes(StandardCharsets.UTF_8)));
            }
            exchange.getMessage().setBody(body);
        }
    }

    /** The task asked to be told: {@link #prepare} left a target. */
    public boolean hasTarget(@Header(Exchange.HTTP_URI) String url) {
        return url != null;
    }

    public void delivered(@Header(TASK_ID) long taskId, @Header(Exchange.HTTP_RESPONSE_CODE) Integer status,
                          @Header(Exchange.REDELIVERY_COUNTER) Integer redeliveries) {
        record(taskId, redeliveries == null ? 1 : redeliveries + 1, status, null);
    }

    /** Called after every failed attempt (onExceptionOccurred), the last one included. */
    @Override
    public void process(Exchange exchange) {
        Exception failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        metrics.webhookFailed();
        Integer status = failure instanceof HttpOperationFailedException http ? http.getStatusCode() : null;
        // the error handler has already counted this failure when it tells us about it
        Integer counted = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        record(exchange.getMessage().getHeader(TASK_ID, Long.class), counted == null ? 1 : Math.max(1, counted),
                status, failure == null ? "unknown failure" : failure.getMessage());
    }

    private void record(long taskId, int attempt, Integer status, String error) {
        Map<String, Object> params = new HashMap<>();
        params.put("taskId", taskId);
        params.put("attempt", attempt);
        params.put("statusCode", status);
        params.put("error", error == null ? null : error.length() > 2000 ? error.substring(0, 2000) : error);
        jdbc.update(SqlFiles.load("callback-attempt"), params);
    }
}
