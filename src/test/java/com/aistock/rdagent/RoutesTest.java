package com.aistock.rdagent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.aistock.rdagent.support.IntegrationTest;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The YAML routes are wiring only: every decision they take is a named Spring bean's method, they name no Java class
 * of the project and test no type, and every route has a kebab-case id.
 */
class RoutesTest extends IntegrationTest {

    private static final Path ROUTES = Path.of("routes");
    private static final Pattern BEAN_URI = Pattern.compile("^bean:([A-Za-z0-9]+)\\?method=([A-Za-z0-9]+)$");

    @Autowired
    ApplicationContext spring;

    @Autowired
    CamelContext camel;

    record BeanCall(String file, String bean, String method) {
    }

    @Test
    void everyBeanARouteCallsIsASpringBeanWithThatMethod() throws IOException {
        List<BeanCall> calls = new ArrayList<>();
        for (Path file : files()) {
            collect(file.getFileName().toString(), new Yaml().load(Files.readString(file)), calls);
        }
        assertThat(calls).hasSizeGreaterThan(50);
        for (BeanCall call : calls) {
            assertThat(spring.containsBean(call.bean())).as("%s: no bean %s", call.file(), call.bean()).isTrue();
            Class<?> type = AopUtils.getTargetClass(spring.getBean(call.bean()));
            assertThat(Arrays.stream(type.getMethods()).anyMatch(m -> m.getName().equals(call.method())))
                    .as("%s: %s has no public method %s", call.file(), call.bean(), call.method()).isTrue();
        }
    }

    @Test
    void routesNameNoProjectClassAndTestNoType() throws IOException {
        for (Path file : files()) {
            String yaml = Files.readString(file);
            assertThat(yaml).as(file.toString()).doesNotContain("com.aistock");
            Matcher simple = Pattern.compile("simple: \"([^\"]*)\"").matcher(yaml);
            while (simple.find()) {
                assertThat(simple.group(1)).as(file + ": a Simple expression only names a value; beans decide")
                        .matches("\\$\\{[a-z.]+}");
            }
            Matcher classes = Pattern.compile("exception: \\[([^]]*)]").matcher(yaml);
            while (classes.find()) {
                assertThat(classes.group(1)).as(file + ": routes catch everything and let beans decide")
                        .isEqualTo("java.lang.Exception");
            }
        }
    }

    @Test
    void everyRouteHasAKebabCaseId() {
        assertThat(camel.getRoutes()).hasSizeGreaterThan(50);
        for (Route route : camel.getRoutes()) {
            assertThat(route.getRouteId()).as(route.getEndpoint().getEndpointUri()).matches("[a-z]+(-[a-z]+)*");
        }
    }

    private static List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(ROUTES)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    /** Bean steps ({@code bean: {ref, method}}), predicates ({@code method: {ref, method}}) and {@code bean:} URIs. */
    private static void collect(String file, Object node, List<BeanCall> calls) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (("bean".equals(entry.getKey()) || "method".equals(entry.getKey()))
                        && entry.getValue() instanceof Map<?, ?> call && call.get("ref") != null) {
                    calls.add(new BeanCall(file, (String) call.get("ref"), (String) call.get("method")));
                } else if (entry.getValue() instanceof String text) {
                    Matcher uri = BEAN_URI.matcher(text);
                    if (uri.matches()) {
                        calls.add(new BeanCall(file, uri.group(1), uri.group(2)));
                    }
                }
                collect(file, entry.getValue(), calls);
            }
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collect(file, item, calls));
        }
    }
}
