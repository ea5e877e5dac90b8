package com.aistock.rdagent.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Whether the five templates of an RD-Agent home describe the same experiment: the same data, market, benchmark
 * and dates in every template, and the same dates as the {@code .env} settings RD-Agent passes to them
 * ({@code QLIB_FACTOR_*} for the factor templates, {@code QLIB_MODEL_*} for the model templates).
 */
public final class TemplateConsistency {

    /** Compared across templates; each with the .env date setting it must equal, if any. */
    private static final Map<String, String> KEYS = keys();

    private TemplateConsistency() {
    }

    /** Validation of one template by {@code engine}; line and column are null when it is valid. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FileCheck(String file, boolean valid, String engine, String message, Integer line, Integer column) {
    }

    /**
     * One value that disagrees.
     *
     * @param expected what the other templates (the most common value) or the .env say
     * @param against  where {@code expected} comes from: a template file, or {@code .env:<KEY>}
     */
    public record Difference(String file, String key, String value, String expected, String against) {
    }

    /** {@code valid} when every template validates and nothing differs. */
    public record Report(boolean valid, List<FileCheck> files, List<Difference> differences) {
    }

    /** Validity is the engine's verdict; values are read from Jinjava's render of the template's own defaults. */
    public static Report check(Path home, TemplateChecks checks) {
        Map<String, String> templates = new LinkedHashMap<>();
        for (String file : RdAgentFiles.TEMPLATES) {
            templates.put(file, read(home.resolve(file)));
        }
        Map<String, Node> parsed = new LinkedHashMap<>();
        List<FileCheck> files = new ArrayList<>();
        checks.checkAll(templates).forEach((file, verdict) -> {
            files.add(new FileCheck(file, verdict.valid(), verdict.engine(), verdict.message(), verdict.line(), verdict.column()));
            if (verdict.valid()) {
                try {
                    // the dates each template falls back on when RD-Agent passes none
                    parsed.put(file, JinjavaCheck.parse(templates.get(file), JinjavaCheck.DEFAULTS_ONLY, true));
                } catch (InvalidTemplateException unreadable) {
                    // valid for Jinja2 but beyond Jinjava: no values to compare
                }
            }
        });
        Dotenv env = Dotenv.parse(read(home.resolve(RdAgentFiles.ENV)));
        List<Difference> differences = new ArrayList<>();
        KEYS.forEach((key, setting) -> {
            Map<String, String> values = new LinkedHashMap<>();
            parsed.forEach((file, root) -> values.put(file, YamlPaths.scalar(root, key)));
            String common = mostCommon(values.values());
            String commonFile = values.entrySet().stream().filter(e -> Objects.equals(e.getValue(), common))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            values.forEach((file, value) -> {
                String envKey = setting == null ? null : envPrefix(file) + setting;
                String envValue = envKey == null ? null : env.get(envKey).orElse(null);
                if (!Objects.equals(value, common)) {
                    differences.add(new Difference(file, key, value, common, commonFile));
                } else if (envValue != null && !envValue.equals(value)) {
                    differences.add(new Difference(file, key, value, envValue, ".env:" + envKey));
                }
            });
        });
        return new Report(files.stream().allMatch(FileCheck::valid) && differences.isEmpty(), files, differences);
    }

    private static String envPrefix(String file) {
        return file.startsWith(RdAgentFiles.MODEL_TEMPLATE + "/") ? "QLIB_MODEL_" : "QLIB_FACTOR_";
    }

    /** The value most templates have; on a tie, the one the earliest template has. */
    private static String mostCommon(Collection<String> values) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        values.forEach(value -> counts.merge(value, 1, Integer::sum));
        String best = null;
        int bestCount = 0;
        for (Map.Entry<String, Integer> count : counts.entrySet()) {
            if (count.getValue() > bestCount) {
                best = count.getKey();
                bestCount = count.getValue();
            }
        }
        return best;
    }

    private static Map<String, String> keys() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("qlib_init.provider_uri", null);
        keys.put("market", null);
        keys.put("benchmark", null);
        for (String segment : List.of("train", "valid", "test")) {
            keys.put("task.dataset.kwargs.segments." + segment + "[0]", segment.toUpperCase(Locale.ROOT) + "_START");
            keys.put("task.dataset.kwargs.segments." + segment + "[1]", segment.toUpperCase(Locale.ROOT) + "_END");
        }
        keys.put("port_analysis_config.backtest.start_time", "TEST_START");
        keys.put("port_analysis_config.backtest.end_time", "TEST_END");
        return keys;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
