package com.aistock.rdagent.config;

import java.util.List;

/** The RD-Agent files the scheduler manages, relative to {@code RDAGENT_HOME}. */
public final class RdAgentFiles {

    public static final String ENV = ".env";
    public static final String EXPERIMENT = "rdagent/scenarios/qlib/experiment";
    public static final String FACTOR_TEMPLATE = EXPERIMENT + "/factor_template";
    public static final String MODEL_TEMPLATE = EXPERIMENT + "/model_template";

    /** The five Qlib templates RD-Agent renders for its backtests. */
    public static final List<String> TEMPLATES = List.of(
            FACTOR_TEMPLATE + "/conf_baseline.yaml",
            FACTOR_TEMPLATE + "/conf_combined_factors.yaml",
            FACTOR_TEMPLATE + "/conf_combined_factors_sota_model.yaml",
            MODEL_TEMPLATE + "/conf_baseline_factors_model.yaml",
            MODEL_TEMPLATE + "/conf_sota_factors_model.yaml");

    /** Shown and backed up, never written. */
    public static final List<String> PROMPTS = List.of(
            "rdagent/scenarios/qlib/prompts.yaml",
            EXPERIMENT + "/prompts.yaml",
            "rdagent/scenarios/qlib/factor_experiment_loader/prompts.yaml");

    private RdAgentFiles() {
    }

    public static String fileName(String file) {
        return file.substring(file.lastIndexOf('/') + 1);
    }
}
