package com.aistock.rdagent.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The variables RD-Agent's runners put in qrun's environment, per template: a template is checked with each set
 * its runner can pass, since qrun renders it from exactly these ({@code rdagent/scenarios/qlib/developer/
 * factor_runner.py} and {@code model_runner.py}). Every set comes with and without {@code test_end}, which the
 * runners pass only when it is configured.
 */
public final class RunnerVariables {

    /** A named set of variables. */
    public record Variant(String name, Map<String, String> env) {
    }

    /** What both runners always pass: the date settings' defaults and the base features (three of ALPHA20). */
    private static final Map<String, String> BASE = ordered(
            "train_start", "2008-01-01", "train_end", "2014-12-31",
            "valid_start", "2015-01-01", "valid_end", "2016-12-31", "test_start", "2017-01-01",
            "feature_names", "['RESI5', 'WVMA5', 'RSQR5']",
            "feature_expressions", "['Resi($close, 5)/$close', "
                    + "'Std(Abs($close/Ref($close, 1)-1)*$volume, 5)/(Mean(Abs($close/Ref($close, 1)-1)*$volume, 5)+1e-12)', "
                    + "'Rsquare($close, 5)']");

    private static final Map<String, String> TEST_END = Map.of("test_end", "2020-08-01");

    /** A model task's training_hyperparameters, as strings (the runners' own defaults). */
    private static final Map<String, String> HYPER_PARAMETERS = ordered(
            "n_epochs", "100", "lr", "2e-4", "early_stop", "10", "batch_size", "256", "weight_decay", "0.0001");

    private static final Map<String, String> TIME_SERIES = ordered(
            "dataset_cls", "TSDatasetH", "step_len", "20", "num_timesteps", "20");

    private static final Map<String, String> TABULAR = ordered("dataset_cls", "DatasetH");

    /** With SOTA factors the runners also count the features. */
    private static final Map<String, String> FEATURE_COUNT = ordered("num_features", "23");

    private RunnerVariables() {
    }

    /** The sets {@code file}'s runner passes; an unknown file gets all of them. */
    public static List<Variant> of(String file) {
        String name = RdAgentFiles.fileName(file);
        List<Variant> variants = new ArrayList<>();
        switch (name) {
            case "conf_baseline.yaml", "conf_combined_factors.yaml" -> withAndWithoutTestEnd(variants, "factor runner", BASE);
            case "conf_baseline_factors_model.yaml" -> models(variants, "model runner", false);
            case "conf_combined_factors_sota_model.yaml" -> models(variants, "factor runner with a SOTA model", true);
            case "conf_sota_factors_model.yaml" -> models(variants, "model runner with SOTA factors", true);
            default -> {
                withAndWithoutTestEnd(variants, "factor runner", BASE);
                models(variants, "model runner", true);
                models(variants, "model runner", false);
            }
        }
        return variants;
    }

    private static void models(List<Variant> variants, String runner, boolean featureCount) {
        Map<String, String> timeSeries = merge(BASE, HYPER_PARAMETERS, TIME_SERIES, featureCount ? FEATURE_COUNT : Map.of());
        Map<String, String> tabular = merge(BASE, HYPER_PARAMETERS, TABULAR, featureCount ? FEATURE_COUNT : Map.of());
        withAndWithoutTestEnd(variants, runner + ", time-series model", timeSeries);
        withAndWithoutTestEnd(variants, runner + ", tabular model", tabular);
    }

    private static void withAndWithoutTestEnd(List<Variant> variants, String name, Map<String, String> env) {
        variants.add(new Variant(name + ", test_end set", merge(env, TEST_END)));
        variants.add(new Variant(name + ", no test_end", env));
    }

    @SafeVarargs
    private static Map<String, String> merge(Map<String, String>... parts) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (Map<String, String> part : parts) {
            merged.putAll(part);
        }
        return merged;
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
