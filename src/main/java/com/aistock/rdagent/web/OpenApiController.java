package com.aistock.rdagent.web;

import java.io.IOException;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The API's own documentation: the OpenAPI document, and Swagger UI (from its WebJar) reading it. Spring MVC,
 * like every path the Camel REST DSL does not map.
 */
@RestController
public class OpenApiController {

    private final OpenApiDocument document;
    private final byte[] docsPage;

    public OpenApiController(OpenApiDocument document) throws IOException {
        this.document = document;
        this.docsPage = new ClassPathResource("openapi/docs.html").getContentAsByteArray();
    }

    @GetMapping(path = "/api/rdagent/openapi.json", produces = MediaType.APPLICATION_JSON_VALUE)
    public byte[] openApi() {
        return document.json();
    }

    @GetMapping(path = "/api/rdagent/docs")
    public ResponseEntity<byte[]> docs() {
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body(docsPage.clone());
    }
}
