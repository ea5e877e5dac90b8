package com.aistock.rdagent.config;

import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The fallback check (no Python with Jinja2): what makes a template unusable for qrun, and where it says the problem is. */
class JinjavaCheckTest {

    private static final String FILE = RdAgentFiles.TEMPLATES.get(0);

    private static String baseline() throws IOException {
        return Files.readString(RdAgentSamples.DEMO.folder().resolve(RdAgentFiles.TEMPLATES.get(0)));
    }

    @Test
    void aYamlErrorIsReportedAtItsLineAndColumn() throws IOException {
        String template = baseline().replace("market: &market csi300", "market: [csi300");

        InvalidTemplateException error = catchThrowableOfType(InvalidTemplateException.class,
                () -> JinjavaCheck.validate(FILE, template));

        assertThat(error.getMessage()).startsWith(JinjavaCheck.ENGINE + ": YAML: ");
        assertThat(error.line()).isEqualTo(lineOf(template, "benchmark:"));
        assertThat(error.column()).isPositive();
    }

    @Test
    void aJinjaSyntaxErrorIsReportedAtItsLine() throws IOException {
        String template = baseline().replaceFirst(Pattern.quote("{{ test_start | default(\"2019-01-01\", true) }}"),
                "{% if test_start %}{{ test_start }}");

        InvalidTemplateException error = catchThrowableOfType(InvalidTemplateException.class,
                () -> JinjavaCheck.validate(FILE, template));

        assertThat(error.getMessage()).startsWith(JinjavaCheck.ENGINE + ": ").contains("if");
        assertThat(error.line()).isEqualTo(lineOf(template, "{% if test_start %}"));
    }

    @Test
    void aMissingSegmentIsNamed() throws IOException {
        String template = baseline().replaceFirst("(?m)^\\s+valid: \\[.*\\n", "");

        InvalidTemplateException error = catchThrowableOfType(InvalidTemplateException.class,
                () -> JinjavaCheck.validate(FILE, template));

        assertThat(error.getMessage()).isEqualTo(JinjavaCheck.ENGINE + ": missing task.dataset.kwargs.segments.valid");
        assertThat(error.line()).isEqualTo(lineOf(template, "train: [{{"));
    }

    @Test
    void aliasesAndMergeKeysAreFollowed() {
        String template = """
                qlib_init: {provider_uri: "/data", region: cn}
                market: &market csi300
                benchmark: SH000300
                common: &common
                    backtest: {start_time: 2017-01-01, end_time: null}
                port_analysis_config:
                    <<: *common
                task:
                    dataset:
                        kwargs:
                            segments: &segments
                                train: [{{ train_start }}, {{ train_end }}]
                                valid: [{{ valid_start }}, {{ valid_end }}]
                                test: [{{ test_start }}, {{ test_end }}]
                """;

        assertThatCode(() -> JinjavaCheck.validate(FILE, template)).doesNotThrowAnyException();
    }

    @Test
    void everyRuleIsCheckedForTimeSeriesModelsToo() {
        String template = """
                qlib_init: {provider_uri: "/data"}
                market: csi300
                benchmark: SH000300
                port_analysis_config: {backtest: {start_time: 2017-01-01}}
                task:
                    dataset:
                        kwargs:
                            segments: {train: [a, b], valid: [c, d], test: [e, f]}
                            {% if step_len %}step_len: [{{ step_len }}{% endif %}
                """;

        InvalidTemplateException error = catchThrowableOfType(InvalidTemplateException.class,
                () -> JinjavaCheck.validate(RdAgentFiles.TEMPLATES.get(3), template));

        assertThat(error.getMessage()).startsWith(JinjavaCheck.ENGINE + ": YAML: ");
    }

    @Test
    void aTemplateCannotPullInOtherFiles() throws IOException {
        String template = baseline().replace("region: cn", "region: {% include 'application.yml' %}");

        InvalidTemplateException error = catchThrowableOfType(InvalidTemplateException.class,
                () -> JinjavaCheck.validate(FILE, template));

        assertThat(error.getMessage()).startsWith(JinjavaCheck.ENGINE + ": ").doesNotContain("spring");
    }

    private static int lineOf(String text, String needle) {
        return text.substring(0, text.indexOf(needle)).split("\n", -1).length;
    }
}
