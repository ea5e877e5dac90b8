package com.aistock.rdagent.security;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPatternParser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint the application serves, as each kind of caller: anonymous, VIEWER, OPERATOR, ADMIN. An endpoint
 * missing from {@link EndpointRoles} fails here before it can ship.
 */
class EndpointSecurityTest extends IntegrationTest {

    private static final String PROBE = "{\"__probe\": true}";

    @Autowired
    private CamelContext camelContext;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mvc;

    private Api viewer;
    private Api operator;

    record Endpoint(HttpMethod method, String template) {
        /** A concrete path for the template: ids that exist nowhere, so no request changes anything. */
        String path() {
            return template.replaceAll("\\{\\*[^}]+}", "summary.json").replaceAll("\\{[^}]+}", "999999999");
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
    void everyEndpointIsClassifiedAndEnforced() {
        List<Endpoint> endpoints = endpoints();
        assertThat(endpoints).hasSizeGreaterThan(20);
        Api anonymous = Api.anonymous(port);
        for (Endpoint endpoint : endpoints) {
            EndpointRoles.Rule rule = EndpointRoles.RULES.stream()
                    .filter(r -> (r.method() == null || r.method().equals(endpoint.method()))
                            && PathPatternParser.defaultInstance.parse(r.pattern()).matches(PathContainer.parsePath(endpoint.path())))
                    .findFirst().orElse(null);
            assertThat(rule).as("%s %s is not classified in EndpointRoles", endpoint.method(), endpoint.template()).isNotNull();
            if (endpoint.template().equals("/login")) {
                continue;
            }
            int asAnonymous = call(anonymous, endpoint);
            if (rule.role() == null) {
                assertThat(asAnonymous).as("public %s %s", endpoint.method(), endpoint.path()).isNotIn(401, 403);
                continue;
            }
            assertThat(asAnonymous).as("anonymous %s %s", endpoint.method(), endpoint.path()).isIn(401, 302);
            assertAllowed(viewer, endpoint, rule.role().compareTo(Role.VIEWER) <= 0);
            assertAllowed(operator, endpoint, rule.role().compareTo(Role.OPERATOR) <= 0);
            assertAllowed(api, endpoint, true);
        }
    }

    private void assertAllowed(Api caller, Endpoint endpoint, boolean allowed) {
        int status = call(caller, endpoint);
        if (allowed) {
            assertThat(status).as("%s %s allowed", endpoint.method(), endpoint.path()).isNotIn(401, 403);
        } else {
            assertThat(status).as("%s %s refused", endpoint.method(), endpoint.path()).isEqualTo(403);
        }
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

    /** The REST DSL operations, the other platform-http routes, and the Spring MVC mappings of this application. */
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
