package com.aistock.rdagent.web;

import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import com.aistock.rdagent.dataset.Datasets;
import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.system.ErrorCode;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One error vocabulary wherever a request fails: a Camel route, a Spring MVC controller, a servlet filter, Spring
 * Security or Tomcat itself. Each answer is {@code {error, message, field?}} with a code from {@link ErrorCode} and
 * the status that code stands for, and the OpenAPI document lists exactly those codes.
 */
class ErrorVocabularyTest extends IntegrationTest {

    private static final Set<String> SHAPE = Set.of("error", "message", "field", "line", "column");

    @Test
    void unknownPathsAreNotFoundForASignedInCaller() {
        expect(api.get("/api/rdagent/no-such-thing"), 404, "not_found");
        expect(api.get("/api/rdagent/tasks/1/no-such-thing"), 404, "not_found");
        expect(Api.anonymous(port).get("/api/rdagent/no-such-thing"), 401, "unauthorized");
    }

    @Test
    void badInputIsAValidationErrorNamingTheField() {
        // Camel route
        JsonNode body = expect(api.post("/api/rdagent/tasks", "{\"loop_n\": 0}"), 400, "validation");
        assertThat(body.path("field").asText()).isEqualTo("loop_n");
        expect(api.post("/api/rdagent/tasks", "{"), 400, "validation");
        // Spring MVC controller
        body = expect(api.get("/api/rdagent/tasks/abc/logs?offset=0"), 400, "validation");
        assertThat(body.path("field").asText()).isEqualTo("id");
        // Tomcat refuses an encoded slash before the application sees it
        expect(api.get("/api/rdagent/tasks/1%2F2"), 400, "validation");
    }

    @Test
    void missingResourcesAreNotFound() {
        expect(api.get("/api/rdagent/tasks/999999999"), 404, "not_found");
        expect(api.get("/api/rdagent/tasks/999999999/run.log"), 404, "not_found");
    }

    @Test
    void aStaleWriteIsAConflict() {
        String file = "rdagent/scenarios/qlib/experiment/factor_template/conf_baseline.yaml";
        JsonNode current = api.get("/api/rdagent/templates/content?file=" + file).json();
        expect(api.put("/api/rdagent/templates/content?file=" + file, Api.json(java.util.Map.of(
                "content", current.path("content").asText() + "\n# stale\n",
                "expected_sha256", "0".repeat(64)))), 409, "conflict");
    }

    @Test
    void aCallerWithoutTheRoleIsForbidden() {
        String name = "viewer" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(api.post("/api/rdagent/users", "{\"username\": \"" + name
                + "\", \"password\": \"password-" + name + "\", \"role\": \"VIEWER\"}").status()).isEqualTo(201);
        Api viewer = Api.as(port, name, "password-" + name);
        expect(viewer.post("/api/rdagent/tasks", "{}"), 403, "forbidden");
        expect(viewer.put("/api/rdagent/env", "{}"), 403, "forbidden");
    }

    @Test
    void tooLargeBodiesAndUploadsAreRefused() {
        // the body-limit filter, before Camel reads a byte
        byte[] json = new byte[(1 << 20) + 1];
        Arrays.fill(json, (byte) ' ');
        expect(api.send(api.request("/api/rdagent/tasks").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json))), 413, "too_large");
        // Spring's multipart limit, answered by the MVC advice
        byte[] pool = new byte[(20 << 20) + 1];
        Arrays.fill(pool, (byte) '#');
        JsonNode body = expect(Datasets.uploadMultipart(api, "huge", "huge.txt", pool), 413, "too_large");
        assertThat(body.path("field").asText()).isEqualTo("file");
    }

    @Test
    void theDocumentListsExactlyTheCodes() {
        JsonNode codes = api.get("/api/rdagent/openapi.json").json()
                .at("/components/schemas/Error/properties/error/enum");
        Set<String> documented = new TreeSet<>();
        for (Iterator<JsonNode> it = codes.elements(); it.hasNext(); ) {
            documented.add(it.next().asText());
        }
        assertThat(documented).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(ErrorCode.values()).map(ErrorCode::code).toList());
    }

    /** The answer has the error shape, the code stands for the status, and the code is the one expected. */
    private static JsonNode expect(Api.Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        JsonNode body = response.json();
        Set<String> fields = new TreeSet<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertThat(SHAPE).as(response.body()).containsAll(fields);
        assertThat(body.path("error").asText()).as(response.body()).isEqualTo(code);
        assertThat(body.path("message").asText()).as(response.body()).isNotBlank();
        ErrorCode known = ErrorCode.valueOf(code.toUpperCase(java.util.Locale.ROOT));
        assertThat(known.status()).as("status of " + code).isEqualTo(status);
        return body;
    }
}
