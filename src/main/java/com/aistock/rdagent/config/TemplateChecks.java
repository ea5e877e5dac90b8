package com.aistock.rdagent.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Service;

/**
 * Whether a template will work in qrun, judged by Jinja2 itself where {@code RDAGENT_PYTHON} has it
 * ({@link QrunCheck}), else by {@link JinjavaCheck}. Every answer names the engine that judged.
 */
@Service
public class TemplateChecks {

    private final QrunCheck qrun;

    public TemplateChecks(QrunCheck qrun) {
        this.qrun = qrun;
    }

    /** @param message null when valid; else it starts with the engine */
    public record Verdict(String engine, boolean valid, String message, Integer line, Integer column) {
    }

    /** @return the engine that accepted it; @throws InvalidTemplateException when refused */
    public String check(String file, String content) {
        Verdict verdict = checkAll(Map.of(file, content)).get(file);
        if (!verdict.valid()) {
            throw new InvalidTemplateException(verdict.message(), verdict.line(), verdict.column());
        }
        return verdict.engine();
    }

    /** Several templates in one go (one process): file → verdict. */
    public Map<String, Verdict> checkAll(Map<String, String> templates) {
        Map<String, Verdict> verdicts = new LinkedHashMap<>();
        Optional<QrunCheck.Verdicts> checked = qrun.check(templates);
        if (checked.isPresent()) {
            String engine = checked.get().engine();
            checked.get().results().forEach((file, result) -> verdicts.put(file, result.valid()
                    ? new Verdict(engine, true, null, null, null)
                    : new Verdict(engine, false, engine + ": " + describe(result), result.line(), result.column())));
            return verdicts;
        }
        templates.forEach((file, content) -> {
            try {
                JinjavaCheck.validate(file, content);
                verdicts.put(file, new Verdict(JinjavaCheck.ENGINE, true, null, null, null));
            } catch (InvalidTemplateException e) {
                verdicts.put(file, new Verdict(JinjavaCheck.ENGINE, false, e.getMessage(), e.line(), e.column()));
            }
        });
        return verdicts;
    }

    private static String describe(QrunCheck.Result result) {
        String where = switch (result.stage() == null ? "" : result.stage()) {
            case "render" -> "rendering";
            case "load" -> "loading the rendered YAML";
            default -> "looking up the keys Qlib needs";
        };
        return result.message() + " (" + where + ", as for " + result.variant() + ")";
    }
}
