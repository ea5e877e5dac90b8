package com.aistock.rdagent.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.aistock.rdagent.support.RequiredTools;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Both template engines against a corpus of valid and invalid templates ({@code src/test/resources/template-corpus},
 * one category per file, the verdict its folder). The labels are first checked against qrun's own code run
 * unsandboxed ({@code qrun_reference.py}); the Jinja2 check must then agree on every file, and the Jinjava
 * fallback must never accept what qrun refuses.
 */
class TemplateCorpusTest {

    /** Debian's python3 with python3-jinja2 and python3-ruamel.yaml, which .ci/run installs. */
    static final String PYTHON = RequiredTools.PYTHON;
    private static final Path CORPUS = Path.of("src", "test", "resources", "template-corpus");
    /** The corpus is checked as the template with the most variable sets: time-series and tabular, ± test_end. */
    private static final String AS = RdAgentFiles.FACTOR_TEMPLATE + "/conf_combined_factors_sota_model.yaml";
    /** What Jinjava cannot render though Jinja2 can: the fallback refuses them (stricter, never more lenient). */
    private static final Set<String> JINJAVA_REFUSES = Set.of("valid/string-method.yaml", "valid/filter-block.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    private static Map<String, String> corpus;

    @BeforeAll
    static void readCorpus() throws IOException {
        corpus = new TreeMap<>();
        try (Stream<Path> files = Files.walk(CORPUS)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                corpus.put(CORPUS.relativize(file).toString(), Files.readString(file));
            }
        }
        assertThat(corpus.keySet().stream().filter(f -> f.startsWith("valid/"))).hasSizeGreaterThanOrEqualTo(20);
        assertThat(corpus.keySet().stream().filter(f -> f.startsWith("invalid/"))).hasSizeGreaterThanOrEqualTo(30);
    }

    static QrunCheck qrunCheck(String python, Path workDir, Duration timeout) {
        try {
            return new QrunCheck(python, workDir, timeout, JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The checks of a service whose Python cannot render templates. */
    static TemplateChecks jinjavaOnly() {
        return new TemplateChecks(qrunCheck("/nonexistent/python3", Path.of("target"), Duration.ofSeconds(5)));
    }

    @Test
    void theLabelsAreQrunsOwnVerdicts() throws Exception {
        RequiredTools.pythonModules("jinja2", "ruamel.yaml");
        List<Map<String, Object>> templates = new ArrayList<>();
        corpus.forEach((file, text) -> templates.add(Map.of("file", file, "text", text, "variants",
                RunnerVariables.of(AS).stream().map(v -> Map.of("name", v.name(), "env", v.env())).toList())));
        Process reference = new ProcessBuilder(PYTHON, Path.of("src", "test", "resources", "qrun_reference.py").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var stdin = reference.getOutputStream()) {
            stdin.write(JSON.writeValueAsBytes(Map.of("templates", templates, "required", JinjavaCheck.REQUIRED)));
        }
        List<String> verdicts = new String(reference.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(reference.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(verdicts).hasSize(corpus.size());
        for (String verdict : verdicts) {
            String file = verdict.substring(0, verdict.indexOf(' '));
            assertThat(verdict.substring(file.length() + 1)).as(file).startsWith(file.substring(0, file.indexOf('/')));
        }
    }

    @Test
    void jinja2AgreesWithEveryLabelAndSaysWhere() {
        RequiredTools.pythonModules("jinja2", "ruamel.yaml");
        QrunCheck.Verdicts verdicts = qrunCheck(PYTHON, work, Duration.ofSeconds(120))
                .check(corpus, file -> RunnerVariables.of(AS)).orElseThrow();

        assertThat(verdicts.engine()).startsWith("Jinja2 ").contains("ruamel.yaml");
        List<String> falseAccepts = new ArrayList<>();
        List<String> falseRefusals = new ArrayList<>();
        corpus.keySet().forEach(file -> {
            QrunCheck.Result result = verdicts.results().get(file);
            if (file.startsWith("invalid/") && result.valid()) {
                falseAccepts.add(file);
            } else if (file.startsWith("valid/") && !result.valid()) {
                falseRefusals.add(file + ": " + result.message());
            } else if (!result.valid()) {
                assertThat(result.line()).as(file + " " + result.message()).isNotNull().isPositive();
                assertThat(result.message()).as(file).isNotBlank();
            }
        });
        assertThat(falseAccepts).as("false accepts").isEmpty();
        assertThat(falseRefusals).as("false refusals").isEmpty();
        QrunCheck.Result duplicate = verdicts.results().get("invalid/duplicate-top-level-key.yaml");
        assertThat(duplicate.stage()).isEqualTo("load");
        assertThat(duplicate.message()).contains("duplicate key \"market\"");
        assertThat(duplicate.line()).isEqualTo(lineOf(corpus.get("invalid/duplicate-top-level-key.yaml"), "market: csi500"));
        QrunCheck.Result testEnd = verdicts.results().get("invalid/attribute-without-test-end.yaml");
        assertThat(testEnd.variant()).endsWith("no test_end");
        assertThat(testEnd.line()).isEqualTo(lineOf(corpus.get("invalid/attribute-without-test-end.yaml"), "test_end.strip()"));
    }

    @Test
    void jinjavaNeverAcceptsWhatQrunRefuses() {
        List<String> falseAccepts = new ArrayList<>();
        List<String> falseRefusals = new ArrayList<>();
        corpus.forEach((file, text) -> {
            InvalidTemplateException refused = catchThrowableOfType(InvalidTemplateException.class,
                    () -> JinjavaCheck.validate(AS, text));
            if (file.startsWith("invalid/") && refused == null) {
                falseAccepts.add(file);
            } else if (file.startsWith("valid/") && refused != null) {
                falseRefusals.add(file);
            }
        });

        assertThat(falseAccepts).as("false accepts").isEmpty();
        assertThat(falseRefusals).as("false refusals, each a known limit of Jinjava").containsExactlyInAnyOrderElementsOf(JINJAVA_REFUSES);
    }

    @Test
    void theFiveRealTemplatesAreAcceptedUnchangedByJinja2() throws IOException {
        RequiredTools.pythonModules("jinja2", "ruamel.yaml");
        Map<String, String> real = new LinkedHashMap<>();
        for (String file : RdAgentFiles.TEMPLATES) {
            real.put(file, Files.readString(RdAgentSamples.REAL.folder().resolve(file)));
        }

        Map<String, TemplateChecks.Verdict> verdicts = new TemplateChecks(qrunCheck(PYTHON, work, Duration.ofSeconds(120)))
                .checkAll(real);

        assertThat(verdicts).hasSize(5).allSatisfy((file, verdict) -> {
            assertThat(verdict.valid()).as(file + ": " + verdict.message()).isTrue();
            assertThat(verdict.engine()).startsWith("Jinja2 ");
        });
    }

    @Test
    void withoutJinja2TheFallbackJudgesAndSaysSo() {
        String refusedTemplate = corpus.get("invalid/unknown-filter.yaml");

        InvalidTemplateException refused = catchThrowableOfType(InvalidTemplateException.class,
                () -> jinjavaOnly().check(AS, refusedTemplate));

        assertThat(refused.getMessage()).startsWith(JinjavaCheck.ENGINE + ": ").contains("to_date");
        assertThat(jinjavaOnly().check(AS, corpus.get("valid/factor-sample.yaml"))).isEqualTo(JinjavaCheck.ENGINE);
    }

    @Test
    void aRenderThatNeverEndsIsStoppedAndRefused() {
        RequiredTools.pythonModules("jinja2", "ruamel.yaml");
        String endless = corpus.get("valid/factor-sample.yaml").replace("      n_drop: 2",
                "      n_drop: 2 {% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}");
        TemplateChecks checks = new TemplateChecks(qrunCheck(PYTHON, work, Duration.ofSeconds(3)));

        InvalidTemplateException refused = catchThrowableOfType(InvalidTemplateException.class,
                () -> checks.check(AS, endless));

        assertThat(refused.getMessage()).contains("took longer than 3 s");
    }

    private static int lineOf(String text, String needle) {
        return text.substring(0, text.indexOf(needle)).split("\n", -1).length;
    }
}
