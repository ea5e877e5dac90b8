package com.aistock.rdagent.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * The OpenAPI document, assembled once from {@code openapi/openapi.yaml} (info, shared components) and one file per
 * feature in {@code openapi/paths/}, so features add their endpoints without touching each other's. Two files
 * defining the same operation or component is a mistake, and the service does not start with it.
 */
@Component
public class OpenApiDocument {

    private static final String ROOT = "openapi/openapi.yaml";
    private static final String FEATURES = "classpath*:openapi/paths/*.yaml";

    private final byte[] json;

    public OpenApiDocument() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectNode document = (ObjectNode) read(yaml, new ClassPathResource(ROOT));
        Resource[] features = new PathMatchingResourcePatternResolver().getResources(FEATURES);
        Arrays.sort(features, Comparator.comparing(Resource::getFilename));
        for (Resource feature : features) {
            merge(document, read(yaml, feature), feature.getFilename());
        }
        this.json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
    }

    /** The document as JSON. */
    public byte[] json() {
        return json.clone();
    }

    /** Writes the document as the service serves it to the file named: the build generates a client from it. */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, new OpenApiDocument().json);
    }

    private static JsonNode read(ObjectMapper yaml, Resource resource) throws IOException {
        try (InputStream in = resource.getInputStream()) {
            return yaml.readTree(in);
        }
    }

    /** Adds a feature's paths (operation by operation), components (by name) and tags. */
    private static void merge(ObjectNode document, JsonNode feature, String source) {
        ObjectNode paths = document.withObjectProperty("paths");
        for (Map.Entry<String, JsonNode> path : feature.path("paths").properties()) {
            addAll(paths.withObjectProperty(path.getKey()), path.getValue(), source + " " + path.getKey());
        }
        for (Map.Entry<String, JsonNode> kind : feature.path("components").properties()) {
            addAll(document.withObjectProperty("components").withObjectProperty(kind.getKey()), kind.getValue(),
                    source + " components." + kind.getKey());
        }
        if (feature.has("tags")) {
            document.withArrayProperty("tags").addAll((ArrayNode) feature.get("tags"));
        }
    }

    private static void addAll(ObjectNode target, JsonNode entries, String where) {
        for (Map.Entry<String, JsonNode> entry : entries.properties()) {
            if (target.has(entry.getKey())) {
                throw new IllegalStateException("OpenAPI: " + where + " defines " + entry.getKey() + " a second time");
            }
            target.set(entry.getKey(), entry.getValue());
        }
    }
}
