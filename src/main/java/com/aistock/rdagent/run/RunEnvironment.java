package com.aistock.rdagent.run;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

import com.aistock.rdagent.config.Dotenv;
import com.aistock.rdagent.task.TaskRequest;

/**
 * What a task changes in RD-Agent's settings: backtest dates for every loop kind, the evolving mode and the
 * knowledge base. A null value removes the key.
 */
final class RunEnvironment {

    private static final String[] SETTING_PREFIXES = {"QLIB_FACTOR_", "QLIB_MODEL_", "QLIB_QUANT_"};

    private RunEnvironment() {
    }

    static Map<String, String> overrides(TaskRequest request, String knowledgeBase) {
        Map<String, String> overrides = new LinkedHashMap<>();
        date(overrides, "TRAIN_START", request.trainStart());
        date(overrides, "TRAIN_END", request.trainEnd());
        date(overrides, "VALID_START", request.validStart());
        date(overrides, "VALID_END", request.validEnd());
        date(overrides, "TEST_START", request.testStart());
        date(overrides, "TEST_END", request.testEnd());
        if (request.evolvingMode() != null) {
            overrides.put("QLIB_QUANT_ACTION_SELECTION", request.evolvingMode());
        }
        if (request.knowledgeBase() != null) {
            overrides.put("QLIB_QUANT_KNOWLEDGE_BASE_PATH", request.knowledgeBase() ? knowledgeBase : null);
        }
        return overrides;
    }

    private static void date(Map<String, String> overrides, String setting, LocalDate value) {
        if (value != null) {
            for (String prefix : SETTING_PREFIXES) {
                overrides.put(prefix + setting, value.toString());
            }
        }
    }

    /**
     * The task's .env: the managed file with overridden keys taken out and the overrides appended, so the
     * file alone tells what the run saw.
     */
    static String dotenv(String managed, Map<String, String> overrides, long taskId) {
        Dotenv env = Dotenv.parse(managed);
        overrides.keySet().forEach(env::remove);
        env.appendComment("--- set by RD-Agent Scheduler for task " + taskId + " ---");
        overrides.forEach((key, value) -> {
            if (value != null) {
                env.set(key, value);
            }
        });
        return env.text();
    }
}
