package com.aistock.rdagent.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.aistock.rdagent.security.EndpointRoles;
import com.aistock.rdagent.security.Role;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPatternParser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document as an independent parser and a client see it, without starting the service: swagger-parser
 * reads and validates it with no error or warning; every operation says how to authenticate, and which of 401,
 * 403, 429 and 503 it can answer, by the same table the security configuration is built from, and 411 and 413
 * where it takes a body; and no YAML slip
 * (a description with a comma written in a flow mapping) left a key without a value behind.
 */
class OpenApiLintTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
    private static final Set<String> VALUES_MAY_BE_NULL = Set.of("example", "examples", "default", "enum", "const");
    private static final List<String> WRITE_SECURITY = List.of("basicAuth", "bearerAuth", "session+csrf");
    private static String text;
    private static JsonNode document;

    @BeforeAll
    static void assemble() throws IOException {
        text = new String(new OpenApiDocument().json(), StandardCharsets.UTF_8);
        document = new ObjectMapper().readTree(text);
    }

    @Test
    void swaggerParserReadsItWithoutAnyErrorOrWarning() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setValidateInternalRefs(true);

        SwaggerParseResult result = new OpenAPIV3Parser().readContents(text, null, options);

        assertThat(result.getMessages()).as("swagger-parser's errors and warnings").isEmpty();
        assertThat(result.getOpenAPI()).isNotNull();
        assertThat(result.getOpenAPI().getPaths()).hasSizeGreaterThan(40);
        assertThat(result.getOpenAPI().getComponents().getSecuritySchemes())
                .containsOnlyKeys("basicAuth", "bearerAuth", "session", "csrf");
    }

    @Test
    void everyOperationSaysHowToAuthenticateAndWhatARefusalAnswers() {
        List<String> wrong = new ArrayList<>();
        List<String> globalSecurity = security(document.path("security"));
        assertThat(globalSecurity).containsExactly("basicAuth", "bearerAuth", "session");
        operations((method, path, operation) -> {
            Role role = role(method, path);
            String where = method.toUpperCase() + " " + path;
            JsonNode responses = operation.path("responses");
            List<String> security = operation.has("security") ? security(operation.get("security")) : globalSecurity;
            if (role == null) {
                expect(wrong, where + " is public: security []", security.isEmpty());
                return;
            }
            boolean write = !method.equals("get");
            expect(wrong, where + " security " + security,
                    security.equals(write ? WRITE_SECURITY : globalSecurity));
            for (String status : List.of("401", "429", "503")) {
                expect(wrong, where + " answers " + status, responses.has(status));
            }
            boolean forbidden = role != Role.VIEWER || write;
            expect(wrong, where + (forbidden ? " answers 403 (" : " cannot answer 403 (") + role + ")",
                    responses.has("403") == forbidden);
            // RequestBodyLimitFilter: a body is bounded by its Content-Length before it is read
            boolean body = operation.has("requestBody");
            expect(wrong, where + " answers 411 and 413 exactly when it takes a body",
                    responses.has("411") == body && responses.has("413") == body);
        });
        assertThat(wrong).isEmpty();
    }

    @Test
    void noKeyIsLeftWithoutAValue() {
        List<String> nulls = new ArrayList<>();
        collectNulls(document, "#", nulls);
        assertThat(nulls).as("keys whose value is null, e.g. from 'description: a, b' inside {...}").isEmpty();
    }

    private interface OperationCheck {
        void check(String method, String path, JsonNode operation);
    }

    private static void operations(OperationCheck check) {
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (METHODS.contains(operation.getKey())) {
                    check.check(operation.getKey(), path.getKey(), operation.getValue());
                }
            }
        }
    }

    /** The role {@link EndpointRoles} asks for (null: public), first matching rule as the security filter does. */
    private static Role role(String method, String documentedPath) {
        PathContainer path = PathContainer.parsePath(documentedPath.replaceAll("\\{[^}]+}", "1"));
        for (EndpointRoles.Rule rule : EndpointRoles.RULES) {
            if ((rule.method() == null || rule.method().name().equalsIgnoreCase(method))
                    && PathPatternParser.defaultInstance.parse(rule.pattern()).matches(path)) {
                return rule.role();
            }
        }
        throw new AssertionError(method + " " + documentedPath + " has no rule in EndpointRoles");
    }

    /** Each alternative as its scheme names joined by '+'. */
    private static List<String> security(JsonNode requirements) {
        List<String> alternatives = new ArrayList<>();
        for (JsonNode requirement : requirements) {
            List<String> schemes = new ArrayList<>();
            requirement.fieldNames().forEachRemaining(schemes::add);
            alternatives.add(String.join("+", schemes));
        }
        return alternatives;
    }

    private static void collectNulls(JsonNode node, String pointer, List<String> nulls) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (VALUES_MAY_BE_NULL.contains(field.getKey())) {
                    continue;
                }
                if (field.getValue().isNull()) {
                    nulls.add(pointer + "/" + field.getKey());
                }
                collectNulls(field.getValue(), pointer + "/" + field.getKey(), nulls);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectNulls(node.get(i), pointer + "/" + i, nulls);
            }
        }
    }

    private static void expect(List<String> wrong, String what, boolean ok) {
        if (!ok) {
            wrong.add(what);
        }
    }
}
