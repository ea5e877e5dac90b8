package com.aistock.rdagent.run;

import java.util.LinkedHashMap;
import java.util.Map;

import com.aistock.rdagent.config.Dotenv;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A task's .env: the managed file, its overridden keys taken out, the overrides appended. */
class RunEnvironmentTest {

    @Test
    void overridesReplaceManagedKeysAndNullRemovesOne() {
        String managed = """
                # LLM
                OPENAI_API_KEY="sk-1"
                export QLIB_FACTOR_TRAIN_START=2010-01-01
                QLIB_QUANT_KNOWLEDGE_BASE_PATH=/kb
                CHAT_MODEL=gpt-4o""";
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("QLIB_FACTOR_TRAIN_START", "2015-01-05");
        overrides.put("QLIB_QUANT_KNOWLEDGE_BASE_PATH", null);
        overrides.put("QLIB_QUANT_ACTION_SELECTION", "bandit");

        String env = RunEnvironment.dotenv(managed, overrides, 7);

        assertThat(env).isEqualTo("""
                # LLM
                OPENAI_API_KEY="sk-1"
                CHAT_MODEL=gpt-4o

                # --- set by RD-Agent Scheduler for task 7 ---
                QLIB_FACTOR_TRAIN_START=2015-01-05
                QLIB_QUANT_ACTION_SELECTION=bandit
                """);
        Dotenv parsed = Dotenv.parse(env);
        assertThat(parsed.get("QLIB_QUANT_KNOWLEDGE_BASE_PATH")).isEmpty();
        assertThat(parsed.get("OPENAI_API_KEY")).contains("sk-1");
    }
}
