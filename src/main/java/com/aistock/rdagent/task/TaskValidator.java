package com.aistock.rdagent.task;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.JsonFields;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;

/**
 * Turns a {@code POST /tasks} body into a {@link TaskRequest}, or refuses it naming the first bad field.
 * Every rule mirrors what RD-Agent really accepts (see SPEC 5.1): a value it would silently ignore is refused
 * here instead.
 */
@Component
public class TaskValidator {

    /** RD-Agent's own timer regex, minus the whitespace it tolerates; "1h30m", "1H" and "PT1H" are refused. */
    static final Pattern DURATION = Pattern.compile("^\\d+(\\.\\d+)?[smhd]?$");
    private static final Pattern ENV_KEY = Pattern.compile("^[A-Z][A-Z0-9_]*$");
    private static final int MAX_ENV_VALUE_BYTES = 4096;
    /** Variables the scheduler sets for every run; a task may not redirect them. */
    static final Set<String> RESERVED_ENV = Set.of("LOG_TRACE_PATH", "WORKSPACE_PATH", "PYTHONPATH",
            "LOG_UI_SERVER_PORT", "PYTHONUNBUFFERED");
    static final Set<String> SCENARIOS = Set.of("fin_quant", "fin_factor", "fin_model");
    private static final Set<String> EVOLVING_MODES = Set.of("bandit", "llm", "random");
    private static final Set<String> RANKINGS = Set.copyOf(Metric.keys());
    private static final List<String> DATE_FIELDS = List.of("train_start", "train_end", "valid_start", "valid_end",
            "test_start", "test_end");
    private static final Set<String> FIELDS = Set.of("name", "scenario", "dataset_ids", "loop_n", "step_n",
            "all_duration", "timeout", "evolving_mode", "knowledge_base", "n_epochs", "batch_size", "n_jobs",
            "train_start", "train_end", "valid_start", "valid_end", "test_start", "test_end", "source_history_ids",
            "sourceHistoryId", "env", "priority", "callback_url", "max_attempts", "rank_by", "cloned_from",
            "max_cost_usd");

    private final ObjectMapper objectMapper;

    public TaskValidator(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    /** A request body as JSON, or a 400 naming {@code body}. */
    public JsonNode tree(String body) {
        try {
            return objectMapper.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (JsonProcessingException e) {
            throw ApiException.validation("body", "malformed JSON: " + e.getOriginalMessage());
        }
    }

    /** The task a new one was cloned from ({@code cloned_from}), or null; kept out of the params a rerun copies. */
    public static Long clonedFrom(JsonNode root) {
        JsonNode value = present(root, "cloned_from");
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() <= 0) {
            throw ApiException.validation("cloned_from", "must be a positive task id");
        }
        return value.longValue();
    }

    public TaskRequest validate(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw ApiException.validation("body", "must be a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                throw ApiException.validation(field, "unknown field");
            }
        }
        boolean alias = JsonFields.given(root.get("sourceHistoryId"));
        if (alias && JsonFields.given(root.get("source_history_ids"))) {
            throw ApiException.validation("sourceHistoryId", "give either source_history_ids or sourceHistoryId");
        }
        String name = string(root, "name", 100);
        String scenario = oneOf(root, "scenario", SCENARIOS);
        List<LocalDate> dates = new ArrayList<>();
        for (String field : DATE_FIELDS) {
            dates.add(date(root, field));
        }
        checkDateOrder(dates);
        clonedFrom(root); // its shape is checked with the rest: a schedule's task is refused when saved
        String timeout = duration(root, "timeout");
        if (timeout != null && RdAgentDuration.parse(timeout).toMillis() < 1000) {
            throw ApiException.validation("timeout", "must be at least one second");
        }
        return new TaskRequest(
                name,
                scenario == null ? "fin_quant" : scenario,
                ids(root, "dataset_ids"),
                integer(root, "loop_n", 1, 1000),
                integer(root, "step_n", 1, 1_000_000),
                duration(root, "all_duration"),
                timeout,
                oneOf(root, "evolving_mode", EVOLVING_MODES),
                bool(root, "knowledge_base"),
                integer(root, "n_epochs", 1, 1_000_000),
                integer(root, "batch_size", 1, 1_000_000),
                integer(root, "n_jobs", 1, 1024),
                dates.get(0), dates.get(1), dates.get(2), dates.get(3), dates.get(4), dates.get(5),
                alias ? ids(root, "sourceHistoryId") : ids(root, "source_history_ids"),
                env(root),
                integer(root, "priority", -1000, 1000),
                callbackUrl(root),
                integer(root, "max_attempts", 1, 10),
                oneOf(root, "rank_by", RANKINGS),
                usd(root, "max_cost_usd"));
    }

    private static JsonNode present(JsonNode root, String field) {
        JsonNode value = root.get(field);
        return value == null || value.isNull() ? null : value;
    }

    private static String string(JsonNode root, String field, int maxLength) {
        return JsonFields.text(root.get(field), field, maxLength);
    }

    private static String oneOf(JsonNode root, String field, Set<String> allowed) {
        String value = string(root, field, 40);
        if (value != null && !allowed.contains(value)) {
            throw ApiException.validation(field, "must be one of " + allowed.stream().sorted().toList());
        }
        return value;
    }

    private static Integer integer(JsonNode root, String field, int min, int max) {
        JsonNode value = present(root, field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw ApiException.validation(field, "must be an integer from " + min + " to " + max);
        }
        int number = value.intValue();
        if (number < min || number > max) {
            throw ApiException.validation(field, "must be an integer from " + min + " to " + max);
        }
        return number;
    }

    /** A spend limit in USD: positive, at most a million, cents and below as given. */
    private static BigDecimal usd(JsonNode root, String field) {
        JsonNode value = present(root, field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber() || value.decimalValue().signum() <= 0
                || value.decimalValue().compareTo(BigDecimal.valueOf(1_000_000)) > 0) {
            throw ApiException.validation(field, "must be a number of US dollars above 0 and at most 1000000");
        }
        return value.decimalValue();
    }

    private static Boolean bool(JsonNode root, String field) {
        JsonNode value = present(root, field);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw ApiException.validation(field, "must be true or false");
        }
        return value.booleanValue();
    }

    private static String duration(JsonNode root, String field) {
        String value = string(root, field, 20);
        if (value != null && !DURATION.matcher(value).matches()) {
            throw ApiException.validation(field,
                    "must be a number with an optional unit s, m, h or d (e.g. 1h, 90m, 3600); RD-Agent ignores other forms");
        }
        return value;
    }

    private static LocalDate date(JsonNode root, String field) {
        String value = string(root, field, 10);
        if (value == null) {
            return null;
        }
        try {
            if (value.length() != 10) {
                throw new DateTimeParseException("length", value, 0);
            }
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.validation(field, "must be an ISO date YYYY-MM-DD");
        }
    }

    private static void checkDateOrder(List<LocalDate> dates) {
        LocalDate previous = null;
        String previousField = null;
        for (int i = 0; i < dates.size(); i++) {
            LocalDate date = dates.get(i);
            if (date == null) {
                continue;
            }
            if (previous != null && date.isBefore(previous)) {
                throw ApiException.validation(DATE_FIELDS.get(i),
                        "must not be before " + previousField + " (" + previous + ")");
            }
            previous = date;
            previousField = DATE_FIELDS.get(i);
        }
    }

    private static List<Long> ids(JsonNode root, String field) {
        JsonNode value = present(root, field);
        if (value == null) {
            return null;
        }
        List<Long> ids = new ArrayList<>();
        Iterable<JsonNode> items = value.isArray() ? value : List.of(value);
        for (JsonNode item : items) {
            if (!item.isIntegralNumber() || !item.canConvertToLong() || item.longValue() <= 0) {
                throw ApiException.validation(field, "must be a list of positive ids");
            }
            if (!ids.contains(item.longValue())) {
                ids.add(item.longValue());
            }
        }
        if (ids.size() > 100) {
            throw ApiException.validation(field, "must list at most 100 ids");
        }
        return ids;
    }

    private static Map<String, String> env(JsonNode root) {
        JsonNode value = present(root, "env");
        if (value == null) {
            return null;
        }
        if (!value.isObject()) {
            throw ApiException.validation("env", "must be an object of NAME: value");
        }
        if (value.size() > 100) {
            throw ApiException.validation("env", "must have at most 100 variables");
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            if (!ENV_KEY.matcher(key).matches()) {
                throw ApiException.validation("env", "variable name '" + abbreviate(key)
                        + "' must match ^[A-Z][A-Z0-9_]*$");
            }
            if (RESERVED_ENV.contains(key)) {
                throw ApiException.validation("env", key + " is set by the scheduler for every run");
            }
            JsonNode v = entry.getValue();
            if (!v.isTextual()) {
                throw ApiException.validation("env", key + " must be a string");
            }
            String text = v.asText();
            if (text.getBytes(StandardCharsets.UTF_8).length > MAX_ENV_VALUE_BYTES || text.indexOf('\0') >= 0) {
                throw ApiException.validation("env", key + " must be at most 4 KiB and contain no NUL");
            }
            env.put(key, text);
        }
        return env;
    }

    private static String callbackUrl(JsonNode root) {
        String value = string(root, "callback_url", 2048);
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    || uri.getHost() == null) {
                throw new URISyntaxException(value, "not http(s)");
            }
        } catch (URISyntaxException e) {
            throw ApiException.validation("callback_url", "must be an http or https URL");
        }
        return value;
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
