package com.aistock.rdagent.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The five real RD-Agent templates and its real {@code .env.example}, copied into a temporary RD-Agent home, and
 * the same checks on this project's own samples: all validate, and the consistency report finds exactly what
 * differs.
 */
class RealTemplatesTest {

    /** The checks without a Python that has Jinja2: Jinjava's verdicts (the Jinja2 ones are in TemplateCorpusTest). */
    private static final TemplateChecks JINJAVA = TemplateCorpusTest.jinjavaOnly();

    @ParameterizedTest
    @EnumSource(RdAgentSamples.class)
    void allFiveTemplatesValidate(RdAgentSamples samples, @TempDir Path temp) throws IOException {
        Path home = samples.copyInto(temp);
        for (String template : RdAgentFiles.TEMPLATES) {
            assertThatCode(() -> JinjavaCheck.validate(template, Files.readString(home.resolve(template))))
                    .as(template).doesNotThrowAnyException();
        }
    }

    @ParameterizedTest
    @EnumSource(RdAgentSamples.class)
    void theSetIsConsistent(RdAgentSamples samples, @TempDir Path temp) throws IOException {
        TemplateConsistency.Report report = TemplateConsistency.check(samples.copyInto(temp), JINJAVA);

        assertThat(report.differences()).isEmpty();
        assertThat(report.files()).hasSize(5).allMatch(TemplateConsistency.FileCheck::valid);
        assertThat(report.valid()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(RdAgentSamples.class)
    void aDifferentMarketInOneTemplateIsNamedByFileAndKey(RdAgentSamples samples, @TempDir Path temp) throws IOException {
        Path home = samples.copyInto(temp);
        String changed = RdAgentFiles.TEMPLATES.get(3);
        Path file = home.resolve(changed);
        Files.writeString(file, TemplateEdits.setScalar(Files.readString(file), "market", "csi500"));

        TemplateConsistency.Report report = TemplateConsistency.check(home, JINJAVA);

        assertThat(report.differences()).containsExactly(
                new TemplateConsistency.Difference(changed, "market", "csi500", "csi300", RdAgentFiles.TEMPLATES.get(0)));
        assertThat(report.valid()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(RdAgentSamples.class)
    void envDatesThatDisagreeWithTheTemplatesAreNamed(RdAgentSamples samples, @TempDir Path temp) throws IOException {
        Path home = samples.copyInto(temp);
        Files.writeString(home.resolve(".env"), "\nQLIB_MODEL_VALID_START=2001-01-01\n",
                java.nio.file.StandardOpenOption.APPEND);

        TemplateConsistency.Report report = TemplateConsistency.check(home, JINJAVA);

        assertThat(report.differences()).extracting(TemplateConsistency.Difference::file)
                .containsExactlyElementsOf(RdAgentFiles.TEMPLATES.subList(3, 5));
        assertThat(report.differences()).allSatisfy(difference -> {
            assertThat(difference.key()).isEqualTo("task.dataset.kwargs.segments.valid[0]");
            assertThat(difference.expected()).isEqualTo("2001-01-01");
            assertThat(difference.against()).isEqualTo(".env:QLIB_MODEL_VALID_START");
        });
    }
}
