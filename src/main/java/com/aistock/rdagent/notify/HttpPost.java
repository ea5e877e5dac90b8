package com.aistock.rdagent.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;

/** POSTs a JSON body to a robot or webhook with bounded waits, and reads its answer. */
@Component
class HttpPost {

    private static final Duration CONNECT = Duration.ofSeconds(5);
    private static final Duration ANSWER = Duration.ofSeconds(10);
    private static final int ANSWER_KEPT = 500;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT).build();
    private final ObjectMapper json;

    HttpPost(ObjectMapper json) {
        this.json = json;
    }

    /** The answer; a robot's own error code is read by the caller from {@link Answer#json()}. */
    record Answer(int status, String body, JsonNode json) {

        /** The start of the body, masked before it is cut: a secret across the cut would escape the mask. */
        String head(Channel channel) {
            String masked = channel.scrub(body);
            return masked.length() > ANSWER_KEPT ? masked.substring(0, ANSWER_KEPT) : masked;
        }
    }

    Answer post(String url, String body, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(ANSWER)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        JsonNode parsed;
        try {
            parsed = json.readTree(response.body() == null || response.body().isBlank() ? "{}" : response.body());
        } catch (IOException notJson) {
            parsed = json.createObjectNode();
        }
        return new Answer(response.statusCode(), response.body() == null ? "" : response.body(), parsed);
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
