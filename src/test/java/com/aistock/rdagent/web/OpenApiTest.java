package com.aistock.rdagent.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document against the running service: it parses, every endpoint the service really maps (Camel
 * REST DSL and platform-http routes, Spring MVC controllers) is documented and nothing documented is missing,
 * every example matches its schema, and real requests and answers of the task endpoints match theirs.
 */
class OpenApiTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    /** Mapped paths the document is about: the API, and RD-Agent's event callback. */
    private static final List<String> DOCUMENTED_PREFIXES = List.of("/api/", "/receive");

    @Autowired
    private CamelContext camelContext;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mvcMappings;

    private JsonNode document;
    private Schemas schemas;

    @BeforeEach
    void loadDocument() throws Exception {
        Api.Response response = api.get("/api/rdagent/openapi.json");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        document = response.json();
        schemas = new Schemas(document);
    }

    @Test
    void isAnOpenApi31DocumentWhoseReferencesAllResolve() {
        assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(document.path("info").path("title").asText()).isNotBlank();
        List<String> broken = new ArrayList<>();
        collectRefs(document, broken);
        assertThat(broken).as("references that point nowhere").isEmpty();
        operations().forEach((key, operation) -> {
            assertThat(operation.path("responses").size()).as(key + " responses").isPositive();
            assertThat(operation.path("operationId").asText()).as(key + " operationId").isNotBlank();
        });
    }

    @Test
    void documentsExactlyTheEndpointsTheServiceMaps() {
        Set<String> mapped = new TreeSet<>();
        Model model = camelContext.getCamelContextExtension().getContextPlugin(Model.class);
        for (RestDefinition rest : model.getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                mapped.add(verb.asVerb().toUpperCase() + " " + join(rest.getPath(), verb.getPath()));
            }
        }
        for (Route route : camelContext.getRoutes()) {
            if (route.getEndpoint() instanceof PlatformHttpEndpoint http) {
                String methods = http.getHttpMethodRestrict();
                assertThat(methods).as("platform-http route " + route.getRouteId() + " restricts its methods").isNotBlank();
                for (String method : methods.split(",")) {
                    mapped.add(method.strip().toUpperCase() + " " + http.getPath());
                }
            }
        }
        for (RequestMappingInfo info : mvcMappings.getHandlerMethods().keySet()) {
            for (String pattern : info.getPatternValues()) {
                if (DOCUMENTED_PREFIXES.stream().anyMatch(pattern::startsWith)) {
                    Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                    assertThat(methods).as(pattern + " declares its methods").isNotEmpty();
                    methods.forEach(m -> mapped.add(m.name() + " " + pattern.replace("{*", "{")));
                }
            }
        }
        assertThat(mapped).as("the service maps the task API").contains("GET /api/rdagent/tasks", "POST /receive",
                "GET /api/rdagent/tasks/{id}/logs", "GET /api/rdagent/tasks/{id}/artifacts/{path}");
        assertThat(operations().keySet()).as("operations in /api/rdagent/openapi.json")
                .containsExactlyInAnyOrderElementsOf(mapped);
    }

    @Test
    void everyExampleMatchesItsSchema() {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, JsonNode> entry : operations().entrySet()) {
            JsonNode operation = entry.getValue();
            checked += checkExamples(entry.getKey() + " request", operation.path("requestBody").path("content"), failures);
            for (Map.Entry<String, JsonNode> response : operation.path("responses").properties()) {
                JsonNode content = resolve(response.getValue()).path("content");
                checked += checkExamples(entry.getKey() + " " + response.getKey(), content, failures);
            }
        }
        assertThat(failures).isEmpty();
        assertThat(checked).as("examples checked").isGreaterThan(30);
    }

    @Test
    void realTaskRequestsAndAnswersMatchTheirSchemas() {
        String request = "{\"name\": \"openapi sample\", \"loop_n\": 1, \"priority\": 1, "
                + "\"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}";
        assertMatches(schemas.request("post", "/api/rdagent/tasks"), request, "POST /tasks body");
        Api.Response created = api.post("/api/rdagent/tasks", request);
        answers(created, "post", "/api/rdagent/tasks", 201);
        long id = created.json().path("id").asLong();
        Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofSeconds(60));

        answers(api.get("/api/rdagent/tasks?size=5"), "get", "/api/rdagent/tasks", 200);
        answers(api.get("/api/rdagent/tasks/" + id), "get", "/api/rdagent/tasks/{id}", 200);
        answers(api.get("/api/rdagent/tasks/" + id + "/logs?limit=4096"), "get", "/api/rdagent/tasks/{id}/logs", 200);
        answers(api.get("/api/rdagent/tasks/" + id + "/logs?q=Start%20Loop"), "get", "/api/rdagent/tasks/{id}/logs", 200);
        answers(api.get("/api/rdagent/tasks/" + id + "/loops"), "get", "/api/rdagent/tasks/{id}/loops", 200);
        answers(api.get("/api/rdagent/tasks/" + id + "/report"), "get", "/api/rdagent/tasks/{id}/report", 200);
        answers(api.get("/api/rdagent/tasks/" + id + "/artifacts"), "get", "/api/rdagent/tasks/{id}/artifacts", 200);
        answers(api.post("/api/rdagent/tasks/" + id + "/cancel", ""), "post", "/api/rdagent/tasks/{id}/cancel", 409);
        answers(api.post("/api/rdagent/tasks/" + id + "/resume", ""), "post", "/api/rdagent/tasks/{id}/resume", 409);

        Api.Response rerun = api.post("/api/rdagent/tasks/" + id + "/rerun", "");
        answers(rerun, "post", "/api/rdagent/tasks/{id}/rerun", 201);
        long rerunId = rerun.json().path("id").asLong();
        answers(api.post("/api/rdagent/tasks/" + rerunId + "/cancel", ""), "post", "/api/rdagent/tasks/{id}/cancel", 200);
        Tasks.awaitFinished(api, rerunId, Duration.ofSeconds(60));

        answers(api.patch("/api/rdagent/tasks/" + id, "{\"tags\": [\"样本\"], \"starred\": true}"), "patch",
                "/api/rdagent/tasks/{id}", 200);
        answers(api.patch("/api/rdagent/tasks/" + id, "{\"note\": 1}"), "patch", "/api/rdagent/tasks/{id}", 400);
        answers(api.get("/api/rdagent/tasks/tags"), "get", "/api/rdagent/tasks/tags", 200);
        answers(api.get("/api/rdagent/tasks?sort=-ic&min_ic=-1&tag=" + java.net.URLEncoder.encode("样本",
                java.nio.charset.StandardCharsets.UTF_8)), "get", "/api/rdagent/tasks", 200);
        answers(api.get("/api/rdagent/tasks/compare?ids=" + id + "," + rerunId), "get", "/api/rdagent/tasks/compare", 200);
        answers(api.get("/api/rdagent/tasks/" + id + "/export"), "get", "/api/rdagent/tasks/{id}/export", 200);
        answers(api.post("/api/rdagent/tasks", "{\"loop_n\": 0}"), "post", "/api/rdagent/tasks", 400);
        answers(api.get("/api/rdagent/tasks/999999999"), "get", "/api/rdagent/tasks/{id}", 404);
        answers(api.get("/api/rdagent/nodes"), "get", "/api/rdagent/nodes", 200);

        // the schemas do refuse: a task whose id is text and whose status is unknown
        assertThat(schemas.response("get", "/api/rdagent/tasks/{id}", 200)
                .validate("{\"id\": \"x\", \"status\": \"DONE\"}", InputFormat.JSON)).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void swaggerUiServesTheDocument() {
        Api.Response page = api.get("/api/rdagent/docs");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("SwaggerUIBundle", "url: 'openapi.json'");
        assertThat(api.get("/webjars/swagger-ui/swagger-ui-bundle.js").status()).isEqualTo(200);
        assertThat(api.get("/webjars/swagger-ui/swagger-ui.css").status()).isEqualTo(200);
    }

    private void answers(Api.Response response, String method, String path, int status) {
        assertThat(response.status()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
        assertMatches(schemas.response(method, path, status), response.body(), method + " " + path + " " + status);
    }

    private static void assertMatches(JsonSchema schema, String json, String what) {
        Set<ValidationMessage> errors = schema.validate(json, InputFormat.JSON);
        assertThat(errors).as(what + " against its schema: " + json).isEmpty();
    }

    private int checkExamples(String where, JsonNode content, List<String> failures) {
        int checked = 0;
        for (Map.Entry<String, JsonNode> media : content.properties()) {
            if (!media.getKey().equals("application/json")) {
                continue;
            }
            List<JsonNode> examples = new ArrayList<>();
            if (media.getValue().has("example")) {
                examples.add(media.getValue().get("example"));
            }
            media.getValue().path("examples").forEach(example -> examples.add(resolve(example).path("value")));
            JsonSchema schema = schemas.of(media.getValue().path("schema"));
            for (JsonNode example : examples) {
                checked++;
                Set<ValidationMessage> errors = schema.validate(example);
                if (!errors.isEmpty()) {
                    failures.add(where + ": " + errors);
                }
            }
        }
        return checked;
    }

    /** "METHOD /path" → operation, for every operation in the document. */
    private Map<String, JsonNode> operations() {
        Map<String, JsonNode> operations = new java.util.TreeMap<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (HTTP_METHODS.contains(operation.getKey())) {
                    operations.put(operation.getKey().toUpperCase() + " " + path.getKey(), operation.getValue());
                }
            }
        }
        return operations;
    }

    private JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? document.at(node.get("$ref").asText().substring(1)) : node;
    }

    private void collectRefs(JsonNode node, List<String> broken) {
        if (node.has("$ref") && node.get("$ref").isTextual()) {
            String ref = node.get("$ref").asText();
            if (!ref.startsWith("#/") || document.at(ref.substring(1)).isMissingNode()) {
                broken.add(ref);
            }
        }
        node.forEach(child -> collectRefs(child, broken));
    }

    private static String join(String base, String path) {
        return path == null || path.isEmpty() || path.equals("/") ? base : base + (path.startsWith("/") ? path : "/" + path);
    }

    /**
     * JSON Schemas out of the document. A schema is checked where it sits, inside a copy of the whole document,
     * so its {@code #/components/...} references resolve as they do for any OpenAPI tool.
     */
    private static final class Schemas {

        private static final AtomicInteger NEXT = new AtomicInteger();
        private final JsonNode document;
        private final Map<String, String> documents = new ConcurrentHashMap<>();
        private final JsonSchemaFactory factory;

        Schemas(JsonNode document) {
            this.document = document;
            this.factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, builder -> builder
                    .metaSchema(OpenApi31.getInstance())
                    .defaultMetaSchemaIri(OpenApi31.getInstance().getIri())
                    .schemaLoaders(loaders -> loaders.schemas(documents::get)));
        }

        JsonSchema request(String method, String path) {
            return of(operation(method, path).path("requestBody").path("content").path("application/json").path("schema"));
        }

        JsonSchema response(String method, String path, int status) {
            JsonNode response = operation(method, path).path("responses").path(Integer.toString(status));
            assertThat(response.isMissingNode()).as(method + " " + path + " documents " + status).isFalse();
            if (response.has("$ref")) {
                response = document.at(response.get("$ref").asText().substring(1));
            }
            return of(response.path("content").path("application/json").path("schema"));
        }

        JsonSchema of(JsonNode schema) {
            assertThat(schema.isMissingNode()).as("a JSON schema").isFalse();
            ObjectNode copy = document.deepCopy();
            copy.withObjectProperty("components").withObjectProperty("schemas").set("__checked", schema);
            String iri = "https://rdagent.test/openapi-" + NEXT.incrementAndGet() + ".json";
            try {
                documents.put(iri, JSON.writeValueAsString(copy));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return factory.getSchema(SchemaLocation.of(iri + "#/components/schemas/__checked"));
        }

        private JsonNode operation(String method, String path) {
            JsonNode operation = document.path("paths").path(path).path(method);
            assertThat(operation.isMissingNode()).as(method + " " + path + " is documented").isFalse();
            return operation;
        }
    }
}
