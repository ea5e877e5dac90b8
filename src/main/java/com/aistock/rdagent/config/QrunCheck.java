package com.aistock.rdagent.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.aistock.rdagent.system.RdAgentInstallation;
import com.aistock.rdagent.system.SchedulerProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * Templates checked by the engine that renders them: {@code RDAGENT_PYTHON} runs {@code config/qrun_check.py}, which
 * renders each template with Jinja2 from every variable set its runner passes and loads the result with
 * ruamel.yaml, as qrun does. A short-lived process per check, started from an argument list (no shell) with the
 * templates on stdin, stopped after {@code scheduler.config.render-timeout}. Without jinja2 or ruamel.yaml in that
 * Python it answers empty, once and for all, and the caller falls back to {@link JinjavaCheck}.
 */
@Component
public class QrunCheck {

    private static final Logger log = LoggerFactory.getLogger(QrunCheck.class);
    private static final int MAX_OUTPUT = 10 * 1024 * 1024;
    private static final int MAX_ANSWER = 1024 * 1024;

    private final String python;
    private final Path workDir;
    private final Duration timeout;
    private final ObjectMapper objectMapper;
    private final String script;
    /** Why this Python cannot check templates; null while it can (or is not asked yet). */
    private volatile String unavailable;
    /** Checks queue for a core each rather than all starting at once: each one's time limit is its own run's. */
    private final Semaphore running = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));

    @Autowired
    public QrunCheck(RdAgentInstallation installation, SchedulerProperties properties, ConfigProperties config,
                     ObjectMapper objectMapper) throws IOException {
        this(installation.python(), properties.data(), config.renderTimeout(), objectMapper);
    }

    /**
     * @param python  the interpreter of RD-Agent's environment
     * @param workDir the process's working directory, Python's first import path: the service's own data folder
     */
    QrunCheck(String python, Path workDir, Duration timeout, ObjectMapper objectMapper) throws IOException {
        this.python = python;
        this.workDir = workDir;
        this.timeout = timeout;
        this.objectMapper = objectMapper;
        try (InputStream in = new ClassPathResource("config/qrun_check.py").getInputStream()) {
            this.script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** One template's verdict: line and column are the template's, or of the rendered YAML for a YAML error. */
    public record Result(boolean valid, String variant, String stage, String message, Integer line, Integer column) {
    }

    /** The verdicts, with the engine's name; empty when this Python has no Jinja2 or ruamel.yaml. */
    public record Verdicts(String engine, Map<String, Result> results) {
    }

    /** @param templates file → content */
    public Optional<Verdicts> check(Map<String, String> templates) {
        return check(templates, RunnerVariables::of);
    }

    /** @param variants the variable sets each template is rendered with, by its key in {@code templates} */
    Optional<Verdicts> check(Map<String, String> templates, Function<String, List<RunnerVariables.Variant>> variants) {
        if (unavailable != null) {
            return Optional.empty();
        }
        List<Map<String, Object>> items = new ArrayList<>();
        templates.forEach((file, text) -> items.add(Map.of("file", file, "text", text, "variants",
                variants.apply(file).stream().map(v -> Map.of("name", v.name(), "env", v.env())).toList())));
        byte[] request;
        try {
            request = objectMapper.writeValueAsBytes(Map.of("templates", items, "required", JinjavaCheck.REQUIRED,
                    "max_output", MAX_OUTPUT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode answer;
        try {
            running.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to check a template", e);
        }
        try {
            answer = run(request);
        } finally {
            running.release();
        }
        if (answer == null) {
            return Optional.empty();
        }
        Map<String, Result> results = new LinkedHashMap<>();
        for (JsonNode result : answer.path("results")) {
            results.put(result.path("file").asText(), new Result(result.path("valid").asBoolean(),
                    text(result, "variant"), text(result, "stage"), text(result, "message"),
                    number(result, "line"), number(result, "column")));
        }
        return Optional.of(new Verdicts(answer.path("engine").asText(), results));
    }

    private JsonNode run(byte[] request) {
        Process process;
        try {
            Files.createDirectories(workDir);
            process = new ProcessBuilder(python, "-c", script).directory(workDir.toFile()).start();
        } catch (IOException e) {
            return unavailable("cannot start " + python + ": " + e.getMessage());
        }
        CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readAtMost(process.getInputStream()));
        CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAtMost(process.getErrorStream()));
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(request);
        } catch (IOException e) {
            // the process ended early; its answer says why
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new InvalidTemplateException("Jinja2 (" + python + "): rendering took longer than "
                        + timeout.toSeconds() + " s", null, null);
            }
            JsonNode answer = objectMapper.readTree(stdout.get(5, TimeUnit.SECONDS));
            if (answer != null && answer.has("unavailable")) {
                return unavailable(python + " has no " + answer.path("unavailable").asText()
                        .replace("No module named ", ""));
            }
            if (answer == null || !answer.has("results")) {
                throw new IOException("no answer");
            }
            return answer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("Interrupted while checking a template", e);
        } catch (Exception e) {
            if (e instanceof InvalidTemplateException refused) {
                throw refused;
            }
            String error = new String(stderr.getNow(new byte[0]), StandardCharsets.UTF_8).strip();
            String last = error.isEmpty() ? e.toString() : error.substring(error.lastIndexOf('\n') + 1);
            throw new InvalidTemplateException("Jinja2 (" + python + ") could not check the template: "
                    + last, null, null);
        }
    }

    private JsonNode unavailable(String why) {
        unavailable = why;
        log.warn("Templates are checked with Jinjava, not Jinja2 as qrun renders them: {}", why);
        return null;
    }

    private static byte[] readAtMost(InputStream in) {
        try (in) {
            return in.readNBytes(MAX_ANSWER);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).isTextual() ? node.path(field).asText() : null;
    }

    private static Integer number(JsonNode node, String field) {
        return node.path(field).isInt() ? node.path(field).asInt() : null;
    }
}
