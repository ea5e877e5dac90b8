package com.aistock.rdagent.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.aistock.rdagent.system.ApiException;

/**
 * What RD-Agent's settings (pydantic, names matched case-insensitively) accept for the keys it knows, so a typo
 * is refused here instead of failing a run hours later. Unknown keys take any single-line text.
 */
final class EnvRules {

    private static final Pattern KEY = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
    private static final int MAX_VALUE_BYTES = 64 * 1024;
    private static final Pattern URL_KEY = Pattern.compile(".*_(API_BASE|BASE_URL)");
    private static final Pattern DATE_KEY = Pattern.compile("QLIB_(FACTOR|MODEL|QUANT)_(TRAIN|VALID|TEST)_(START|END)");
    private static final Set<String> INTEGERS = Set.of("MAX_RETRY", "RETRY_WAIT_SECONDS", "TIMEOUT_FAIL_LIMIT",
            "CHAT_MAX_TOKENS", "CHAT_TOKEN_LIMIT", "CHAT_SEED", "EMBEDDING_MAX_STR_NUM", "EMBEDDING_MAX_LENGTH",
            "MULTI_PROC_N", "STDOUT_CONTEXT_LEN", "WORKSPACE_CKP_SIZE_LIMIT", "COSTEER_MAX_LOOP",
            "COSTEER_FAIL_TASK_TRIAL_LIMIT", "FACTOR_COSTEER_FILE_BASED_EXECUTION_TIMEOUT", "QLIB_QUANT_EVOLVING_N",
            "QLIB_DOCKER_RUNNING_TIMEOUT_PERIOD", "QLIB_DOCKER_RETRY_COUNT", "COSTEER_V2_QUERY_FORMER_TRACE_LIMIT");
    private static final Set<String> NUMBERS = Set.of("CHAT_TEMPERATURE");
    private static final Set<String> BOOLEANS = Set.of("CHAT_STREAM", "USE_CHAT_CACHE", "DUMP_CHAT_CACHE",
            "USE_EMBEDDING_CACHE", "DUMP_EMBEDDING_CACHE", "LOG_LLM_CHAT_CONTENT", "CACHE_WITH_PICKLE", "ENABLE_CACHE",
            "ENABLE_MLFLOW", "USE_FILE_LOCK", "ENABLE_RESPONSE_SCHEMA", "REASONING_THINK_RM", "SUBPROC_STEP",
            "COSTEER_CODER_USE_CACHE", "QLIB_DOCKER_ENABLE_GPU", "QLIB_QUANT_KNOWLEDGE_BASE",
            "FT_DOCKER_ENABLE_CACHE", "DS_DOCKER_ENABLE_CACHE", "DS_CODER_ON_WHOLE_PIPELINE", "DS_IF_USING_MLE_DATA");
    /** pydantic's spellings of true and false. */
    private static final Set<String> BOOLEAN_VALUES = Set.of("0", "off", "f", "false", "n", "no",
            "1", "on", "t", "true", "y", "yes");
    private static final Map<String, Set<String>> CHOICES = Map.of(
            "MODEL_COSTEER_ENV_TYPE", Set.of("conda", "docker"),
            "QLIB_QUANT_ACTION_SELECTION", Set.of("bandit", "llm", "random"));

    private EnvRules() {
    }

    /** @throws ApiException 400 naming {@code entries.<key>} */
    static void check(String key, String value) {
        String field = "entries." + key;
        if (!KEY.matcher(key).matches()) {
            throw ApiException.validation(field, "a key must match ^[A-Za-z_][A-Za-z0-9_]*$");
        }
        if (value == null) {
            return;
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES || value.indexOf('\0') >= 0) {
            throw ApiException.validation(field, "must be at most 64 KiB and contain no NUL");
        }
        String name = key.toUpperCase(Locale.ROOT);
        String problem = null;
        if (URL_KEY.matcher(name).matches()) {
            problem = url(value) ? null : "must be an http or https URL";
        } else if (DATE_KEY.matcher(name).matches()) {
            problem = date(value) ? null : "must be an ISO date YYYY-MM-DD";
        } else if (INTEGERS.contains(name)) {
            problem = value.strip().matches("[+-]?\\d{1,18}") ? null : "must be an integer";
        } else if (NUMBERS.contains(name)) {
            problem = value.strip().matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?") ? null : "must be a number";
        } else if (BOOLEANS.contains(name)) {
            problem = BOOLEAN_VALUES.contains(value.strip().toLowerCase(Locale.ROOT)) ? null : "must be True or False";
        } else if (CHOICES.containsKey(name)) {
            problem = CHOICES.get(name).contains(value.strip()) ? null : "must be one of " + CHOICES.get(name).stream().sorted().toList();
        }
        if (problem != null) {
            throw ApiException.validation(field, key + " " + problem);
        }
    }

    private static boolean url(String value) {
        try {
            URI uri = new URI(value.strip());
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean date(String value) {
        try {
            LocalDate.parse(value.strip());
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
