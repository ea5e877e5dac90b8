package com.aistock.rdagent.security;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.aistock.rdagent.config.RdAgentFiles;
import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.system.RdAgentInstallation;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.http.HttpMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint the application serves, as each kind of caller: anonymous, VIEWER, OPERATOR, ADMIN, against the
 * role matrix of SPEC 11 and the README written out below, endpoint by endpoint. The table is this test's own, not
 * {@link EndpointRoles}: a wrong rule there fails here, and an endpoint missing from the table fails before it ships.
 */
class EndpointSecurityTest extends IntegrationTest {

    private static final String PROBE = "{\"__probe\": true}";

    /** Who may call an endpoint: anyone, or a role and those above it. */
    enum Allowed { ANYONE, VIEWER, OPERATOR, ADMIN }

    /** "METHOD path template" → who may call it; path variables are written {}. */
    private static final Map<String, Allowed> MATRIX = matrix(
            // public: health probes, RD-Agent's events (loopback only, refused otherwise by the route), the login page
            Allowed.ANYONE, List.of("GET /actuator/health", "GET /actuator/health/liveness",
                    "GET /actuator/health/readiness", "GET /actuator/info", "POST /receive", "GET /login"),
            // VIEWER: every read, and the console
            Allowed.VIEWER, List.of(
                    "GET /api/rdagent/tasks", "GET /api/rdagent/tasks/{}", "GET /api/rdagent/tasks/{}/loops",
                    "GET /api/rdagent/tasks/{}/report", "GET /api/rdagent/tasks/{}/logs", "GET /api/rdagent/tasks/{}/run.log",
                    "GET /api/rdagent/tasks/{}/artifacts", "GET /api/rdagent/tasks/{}/artifacts/{}",
                    "GET /api/rdagent/tasks/{}/artifacts.zip", "GET /api/rdagent/tasks/{}/loops/{}",
                    "GET /api/rdagent/tasks/{}/experiments/{}/files/{}", "GET /api/rdagent/tasks/{}/config",
                    "GET /api/rdagent/tasks.csv", "GET /api/rdagent/tasks/tags", "GET /api/rdagent/tasks/compare",
                    "GET /api/rdagent/tasks/{}/export",
                    "GET /api/rdagent/env", "GET /api/rdagent/env/history", "GET /api/rdagent/env/history/{}",
                    "GET /api/rdagent/env/diff",
                    "GET /api/rdagent/templates", "GET /api/rdagent/templates/content", "GET /api/rdagent/templates/history",
                    "GET /api/rdagent/templates/history/{}", "GET /api/rdagent/templates/diff",
                    "GET /api/rdagent/templates/validate",
                    "GET /api/rdagent/datasets", "GET /api/rdagent/datasets/{}", "GET /api/rdagent/datasets/{}/versions",
                    "GET /api/rdagent/datasets/{}/versions/{}/diff/{}",
                    "GET /api/rdagent/schedules", "GET /api/rdagent/schedules/{}", "GET /api/rdagent/schedules/preview",
                    "GET /api/rdagent/batches", "GET /api/rdagent/batches/{}",
                    "GET /api/rdagent/nodes", "GET /api/rdagent/me", "GET /api/rdagent/system",
                    "GET /api/rdagent/spend", "GET /api/rdagent/spend/prices", "GET /api/rdagent/spend/quotas",
                    "GET /api/rdagent/channels", "GET /api/rdagent/channels/{}", "GET /api/rdagent/notification-rules",
                    "GET /api/rdagent/notification-rules/{}", "GET /api/rdagent/notifications",
                    "GET /api/rdagent/openapi.json", "GET /api/rdagent/docs", "GET /rdagent", "GET /rdagent/",
                    // metrics hold counts and timings: a scraper's VIEWER token is enough
                    "GET /actuator/prometheus"),
            // OPERATOR: tasks, datasets, schedules
            Allowed.OPERATOR, List.of(
                    "POST /api/rdagent/tasks", "POST /api/rdagent/tasks/{}/cancel", "POST /api/rdagent/tasks/{}/rerun",
                    "POST /api/rdagent/tasks/{}/resume", "PATCH /api/rdagent/tasks/{}",
                    "POST /api/rdagent/datasets/upload-instruments", "POST /api/rdagent/datasets/{}/default",
                    "DELETE /api/rdagent/datasets/{}",
                    "POST /api/rdagent/schedules", "PUT /api/rdagent/schedules/{}", "DELETE /api/rdagent/schedules/{}",
                    "POST /api/rdagent/schedules/{}/pause", "POST /api/rdagent/schedules/{}/resume",
                    "POST /api/rdagent/schedules/{}/run-now",
                    "POST /api/rdagent/batches", "POST /api/rdagent/batches/{}/pause", "POST /api/rdagent/batches/{}/resume",
                    "POST /api/rdagent/batches/{}/cancel", "POST /api/rdagent/batches/{}/limit",
                    // notification rules: "notify me" on a task, schedule or batch
                    "POST /api/rdagent/notification-rules", "PUT /api/rdagent/notification-rules/{}",
                    "DELETE /api/rdagent/notification-rules/{}"),
            // ADMIN: configuration writes and their test buttons, rollbacks, users, tokens, audit
            Allowed.ADMIN, List.of(
                    "PUT /api/rdagent/env", "POST /api/rdagent/env/rollback", "POST /api/rdagent/env/test-llm",
                    "POST /api/rdagent/env/test-qlib", "PUT /api/rdagent/templates/content",
                    "POST /api/rdagent/templates/rollback", "POST /api/rdagent/tasks/{}/config/restore",
                    "GET /api/rdagent/users", "POST /api/rdagent/users", "GET /api/rdagent/tokens",
                    "POST /api/rdagent/tokens", "DELETE /api/rdagent/tokens/{}", "GET /api/rdagent/audit",
                    "PUT /api/rdagent/spend/prices", "DELETE /api/rdagent/spend/prices", "PUT /api/rdagent/spend/quotas",
                    "DELETE /api/rdagent/spend/quotas",
                    "GET /actuator",
                    // notification channels hold webhook keys and passwords
                    "POST /api/rdagent/channels", "PUT /api/rdagent/channels/{}", "DELETE /api/rdagent/channels/{}",
                    "POST /api/rdagent/channels/{}/test"));

    @Autowired
    private CamelContext camelContext;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mvc;

    @Autowired
    private RdAgentInstallation installation;

    @Autowired
    private PathMappedEndpoints actuator;

    @Autowired
    private HealthEndpointGroups healthGroups;

    private Api viewer;
    private Api operator;

    record Endpoint(HttpMethod method, String template) {
        /** A concrete path for the template: ids that exist nowhere, so no request changes anything. */
        String path() {
            return template.replaceAll("\\{\\*[^}]+}", "summary.json").replaceAll("\\{[^}]+}", "999999999");
        }

        /** The template as the matrix writes it. */
        String key() {
            return method.name() + " " + template.replaceAll("\\{[^}]*}", "{}");
        }
    }

    @BeforeEach
    void users() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        viewer = user("viewer" + suffix, "VIEWER");
        operator = user("operator" + suffix, "OPERATOR");
    }

    private Api user(String name, String role) {
        String password = "password-" + name;
        assertThat(api.post("/api/rdagent/users", "{\"username\": \"" + name + "\", \"password\": \"" + password
                + "\", \"role\": \"" + role + "\"}").status()).isEqualTo(201);
        return Api.as(port, name, password);
    }

    @Test
    void theMatrixNamesExactlyTheEndpointsTheServiceMaps() {
        assertThat(endpoints().stream().map(Endpoint::key).distinct().toList())
                .as("endpoints the service maps, against the role matrix written in this test")
                .containsExactlyInAnyOrderElementsOf(MATRIX.keySet());
    }

    @Test
    void everyEndpointIsEnforcedAsTheMatrixSays() {
        List<Endpoint> endpoints = endpoints();
        assertThat(endpoints).hasSizeGreaterThan(20);
        Api anonymous = Api.anonymous(port);
        for (Endpoint endpoint : endpoints) {
            Allowed allowed = MATRIX.get(endpoint.key());
            assertThat(allowed).as("%s is not in the role matrix", endpoint.key()).isNotNull();
            if (endpoint.template().equals("/login")) {
                continue;
            }
            int asAnonymous = call(anonymous, endpoint);
            if (allowed == Allowed.ANYONE) {
                assertAnswered(asAnonymous, "anonymous", endpoint);
                continue;
            }
            assertThat(asAnonymous).as("anonymous %s %s", endpoint.method(), endpoint.path()).isIn(401, 302);
            assertAllowed(viewer, "VIEWER", endpoint, allowed.compareTo(Allowed.VIEWER) <= 0);
            assertAllowed(operator, "OPERATOR", endpoint, allowed.compareTo(Allowed.OPERATOR) <= 0);
            assertAllowed(api, "ADMIN", endpoint, true);
        }
    }

    /** Below ADMIN nobody changes the configuration, even with a well-formed write based on the current version. */
    @Test
    void operatorsAndViewersAreForbiddenConfigWritesAndRollbacks() throws IOException {
        String file = RdAgentFiles.TEMPLATES.get(0);
        String templates = "/api/rdagent/templates/content?file=" + file;
        // the admin's edits leave a version of each to roll back to
        JsonNode before = api.get(templates).json();
        Api.Response edited = api.put(templates, Api.json(Map.of("content", before.path("content").asText() + "# admin\n",
                "expected_sha256", before.path("sha256").asText())));
        assertThat(edited.status()).as(edited.body()).isEqualTo(200);
        Api.Response envEdited = api.put("/api/rdagent/env", Api.json(Map.of("entries", Map.of("CHAT_MODEL", "gpt-4o-mini"),
                "expected_sha256", api.get("/api/rdagent/env").json().path("sha256").asText())));
        assertThat(envEdited.status()).as(envEdited.body()).isEqualTo(200);
        JsonNode template = api.get(templates).json();
        JsonNode env = api.get("/api/rdagent/env").json();
        long templateVersion = edited.json().path("history_id").asLong();
        long envVersion = envEdited.json().path("history_id").asLong();
        byte[] liveTemplate = Files.readAllBytes(installation.home().resolve(file));
        byte[] liveEnv = Files.readAllBytes(installation.home().resolve(RdAgentFiles.ENV));

        for (Api caller : List.of(viewer, operator)) {
            List<Api.Response> answers = List.of(
                    caller.put(templates, Api.json(Map.of("content", template.path("content").asText() + "# theirs\n",
                            "expected_sha256", template.path("sha256").asText()))),
                    caller.post("/api/rdagent/templates/rollback", Api.json(Map.of("history_id", templateVersion,
                            "expected_sha256", template.path("sha256").asText()))),
                    caller.put("/api/rdagent/env", Api.json(Map.of("entries", Map.of("CHAT_MODEL", "theirs"),
                            "expected_sha256", env.path("sha256").asText()))),
                    caller.post("/api/rdagent/env/rollback", Api.json(Map.of("history_id", envVersion,
                            "expected_sha256", env.path("sha256").asText()))));
            for (Api.Response answer : answers) {
                assertThat(answer.status()).as(answer.body()).isEqualTo(403);
                assertThat(answer.json().path("error").asText()).isEqualTo("forbidden");
            }
        }
        assertThat(installation.home().resolve(file)).hasBinaryContent(liveTemplate);
        assertThat(installation.home().resolve(RdAgentFiles.ENV)).hasBinaryContent(liveEnv);
    }

    private void assertAllowed(Api caller, String role, Endpoint endpoint, boolean allowed) {
        int status = call(caller, endpoint);
        if (allowed) {
            assertAnswered(status, role, endpoint);
        } else {
            assertThat(status).as("%s %s %s refused", role, endpoint.method(), endpoint.path()).isEqualTo(403);
        }
    }

    /**
     * Let through and answered: neither refused nor broken (a 500 is not an allowed call). A health probe's 503 is
     * its answer, DOWN.
     */
    private static void assertAnswered(int status, String caller, Endpoint endpoint) {
        boolean probeDown = status == 503 && endpoint.template().startsWith("/actuator/health");
        assertThat(probeDown || status < 500).as("%s %s %s answered %d", caller, endpoint.method(), endpoint.path(), status)
                .isTrue();
        assertThat(status).as("%s %s %s allowed", caller, endpoint.method(), endpoint.path()).isNotIn(401, 403);
    }

    private int call(Api caller, Endpoint endpoint) {
        HttpRequest.Builder request = caller.request(endpoint.path()).header("Content-Type", "application/json");
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofString(PROBE);
        request = switch (endpoint.method().name()) {
            case "GET" -> request.GET();
            case "DELETE" -> request.DELETE();
            default -> request.method(endpoint.method().name(), body);
        };
        return caller.send(request).status();
    }

    private static Map<String, Allowed> matrix(Object... roleThenEndpoints) {
        Map<String, Allowed> matrix = new LinkedHashMap<>();
        for (int i = 0; i < roleThenEndpoints.length; i += 2) {
            for (Object endpoint : (List<?>) roleThenEndpoints[i + 1]) {
                assertThat(matrix.put((String) endpoint, (Allowed) roleThenEndpoints[i])).as("twice: %s", endpoint).isNull();
            }
        }
        return matrix;
    }

    /**
     * The REST DSL operations, the other platform-http routes, the Spring MVC mappings of this application, and the
     * exposed actuator endpoints (with the health groups and the discovery page).
     */
    private List<Endpoint> endpoints() {
        Set<Endpoint> endpoints = new LinkedHashSet<>();
        for (RestDefinition rest : ((ModelCamelContext) camelContext).getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                String path = rest.getPath() + (verb.getPath() == null ? "" : (verb.getPath().startsWith("/") ? "" : "/") + verb.getPath());
                endpoints.add(new Endpoint(HttpMethod.valueOf(verb.asVerb().toUpperCase()), path.replaceAll("/$", "")));
            }
        }
        for (Route route : camelContext.getRoutes()) {
            String uri = route.getEndpoint().getEndpointUri();
            if (uri.startsWith("platform-http:") && !uri.contains("rest")) {
                endpoints.add(new Endpoint(HttpMethod.POST, uri.substring("platform-http:".length()).replaceAll("\\?.*", "").replaceAll("^/+", "/")));
            }
        }
        actuator.getAllPaths().forEach(path -> endpoints.add(new Endpoint(HttpMethod.GET, path)));
        healthGroups.getNames().forEach(group -> endpoints.add(new Endpoint(HttpMethod.GET,
                actuator.getPath(EndpointId.of("health")) + "/" + group)));
        endpoints.add(new Endpoint(HttpMethod.GET, actuator.getBasePath()));
        mvc.getHandlerMethods().forEach((info, handler) -> {
            if (info.getPathPatternsCondition() == null) {
                return;
            }
            for (String pattern : info.getPathPatternsCondition().getPatternValues()) {
                if (pattern.equals("/error")) {
                    continue;
                }
                Set<org.springframework.web.bind.annotation.RequestMethod> methods = info.getMethodsCondition().getMethods();
                for (var method : methods.isEmpty() ? Set.of(org.springframework.web.bind.annotation.RequestMethod.GET) : methods) {
                    endpoints.add(new Endpoint(HttpMethod.valueOf(method.name()), pattern));
                }
            }
        });
        return new ArrayList<>(endpoints);
    }
}
