package com.aistock.rdagent.config;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.loader.ResourceNotFoundException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Checks a Qlib template the way {@code qrun} will use it: rendered as Jinja2 from the variables RD-Agent's
 * runners pass, then parsed as YAML (anchors and aliases resolved), then the keys Qlib needs looked up.
 * Line numbers are the template's own: every tag the templates use renders on the line it stands on.
 */
public final class TemplateValidator {

    /** Keys a template must have with a value. */
    static final List<String> REQUIRED = List.of("qlib_init.provider_uri", "market", "benchmark",
            "task.dataset.kwargs.segments.train", "task.dataset.kwargs.segments.valid",
            "task.dataset.kwargs.segments.test", "port_analysis_config.backtest");

    /** What the factor and model runners pass besides dates; {@code step_len}/{@code num_timesteps} only for time-series models. */
    static final Map<String, String> MODEL_VARIABLES = Map.of(
            "feature_names", "['RESI5', 'WVMA5', 'RSQR5']",
            "feature_expressions", "['Resi($close, 5)/$close', 'Std(Abs($close/Ref($close, 1)-1)*$volume, 5)/(Mean(Abs($close/Ref($close, 1)-1)*$volume, 5)+1e-12)', 'Rsquare($close, 5)']",
            "n_epochs", "100",
            "lr", "0.001",
            "early_stop", "10",
            "batch_size", "256",
            "weight_decay", "0.0001",
            "dataset_cls", "DatasetH",
            "num_features", "20");

    private static final Map<String, String> DATES = Map.of(
            "train_start", "2008-01-01", "train_end", "2014-12-31",
            "valid_start", "2015-01-01", "valid_end", "2016-12-31",
            "test_start", "2017-01-01", "test_end", "2020-08-01");

    private static final Map<String, String> TIME_SERIES = Map.of(
            "dataset_cls", "TSDatasetH", "step_len", "20", "num_timesteps", "20");

    /** A tabular-model run and a time-series-model run, so both sides of the templates' {@code {% if %}} are parsed. */
    private static final List<Map<String, String>> RUNS = List.of(
            merge(DATES, MODEL_VARIABLES, Map.of()),
            merge(DATES, MODEL_VARIABLES, TIME_SERIES));

    private static final Jinjava JINJAVA = jinjava();

    private TemplateValidator() {
    }

    /** @throws InvalidTemplateException naming the first problem and where it is */
    public static void validate(String template) {
        for (Map<String, String> variables : RUNS) {
            Node root = parse(template, variables);
            for (String key : REQUIRED) {
                Optional<Node> value = YamlPaths.find(root, key);
                if (value.isEmpty() || Tag.NULL.equals(value.get().getTag())) {
                    Mark near = value.map(Node::getStartMark).orElse(YamlPaths.deepestParent(root, key).getStartMark());
                    throw new InvalidTemplateException((value.isEmpty() ? "missing " : "empty ") + key,
                            near.getLine() + 1, near.getColumn() + 1);
                }
            }
        }
    }

    /** The template rendered with {@code variables} (absent ones render empty, as with qrun) and composed as YAML. */
    static Node parse(String template, Map<String, String> variables) {
        RenderResult result = JINJAVA.renderForResult(template, variables);
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL
                    || error.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR) {
                throw new InvalidTemplateException("Jinja2: " + error.getMessage(),
                        error.getLineno() > 0 ? error.getLineno() : null,
                        error.getStartPosition() > 0 ? error.getStartPosition() : null);
            }
        }
        Node root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(result.getOutput()));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = (e.getContext() == null ? "" : e.getContext() + ": ") + e.getProblem();
            throw new InvalidTemplateException("YAML: " + problem,
                    mark == null ? null : mark.getLine() + 1, mark == null ? null : mark.getColumn() + 1);
        }
        if (!(root instanceof MappingNode)) {
            throw new InvalidTemplateException("YAML: the template must be a mapping of keys", 1, 1);
        }
        return root;
    }

    /**
     * Bounded output, and no {@code include}/{@code import}: qrun's templates use none, and a submitted template
     * must not pull files of this service into the render.
     */
    private static Jinjava jinjava() {
        Jinjava jinjava = new Jinjava(JinjavaConfig.newBuilder()
                .withMaxOutputSize(10L * 1024 * 1024)
                .withMaxRenderDepth(10)
                .build());
        jinjava.setResourceLocator((name, encoding, interpreter) -> {
            throw new ResourceNotFoundException("templates may not include other files: " + name);
        });
        return jinjava;
    }

    @SafeVarargs
    private static Map<String, String> merge(Map<String, String>... parts) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (Map<String, String> part : parts) {
            merged.putAll(part);
        }
        return Map.copyOf(merged);
    }
}
