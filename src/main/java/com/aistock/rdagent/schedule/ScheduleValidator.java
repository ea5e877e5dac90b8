package com.aistock.rdagent.schedule;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.aistock.rdagent.config.TemplateSnapshots;
import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.JsonFields;
import com.aistock.rdagent.task.TaskDatasets;
import com.aistock.rdagent.task.TaskRequest;
import com.aistock.rdagent.task.TaskValidator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Turns a schedule body into a {@link ScheduleDefinition}, or refuses it naming the first bad field. The task
 * template is checked by the same rules as {@code POST /tasks}, datasets included; its errors name
 * {@code task.<field>}; a deleted dataset version is refused (409). A dataset deleted later fails the fire (409, at
 * submission), which is recorded on the schedule.
 */
@Component
public class ScheduleValidator {

    private static final Set<String> FIELDS = Set.of("name", "cron", "time_zone", "task", "config_pin",
            "overlap_policy", "misfire_policy", "enabled");
    private static final Set<String> PIN_FIELDS = Set.of("mode", "history_ids");

    private final ObjectMapper objectMapper;
    private final TaskValidator taskValidator;
    private final TemplateSnapshots snapshots;
    private final ScheduleProperties properties;
    private final NamedParameterJdbcTemplate jdbc;

    public ScheduleValidator(ObjectMapper objectMapper, TaskValidator taskValidator, TemplateSnapshots snapshots,
                             ScheduleProperties properties, NamedParameterJdbcTemplate jdbc) {
        this.objectMapper = objectMapper;
        this.taskValidator = taskValidator;
        this.snapshots = snapshots;
        this.properties = properties;
        this.jdbc = jdbc;
    }

    public ScheduleDefinition parse(String body) {
        JsonNode root;
        try {
            root = objectMapper.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (JsonProcessingException e) {
            throw ApiException.validation("body", "malformed JSON: " + e.getOriginalMessage());
        }
        if (!root.isObject()) {
            throw ApiException.validation("body", "must be a JSON object");
        }
        unknownFields(root, FIELDS, "");
        String name = JsonFields.text(root.get("name"), "name", 100);
        if (name == null || name.isBlank()) {
            throw ApiException.validation("name", "is required, with something besides spaces");
        }
        String cron = JsonFields.text(root.get("cron"), "cron", CronSchedules.MAX_LENGTH);
        if (cron == null || cron.isBlank()) {
            throw ApiException.validation("cron", "is required, e.g. \"0 30 9 ? * MON-FRI\" or \"30 9 * * 1-5\"");
        }
        ZoneId zone = zone(JsonFields.text(root.get("time_zone"), "time_zone", 64));
        String quartzCron = CronSchedules.validate(cron, zone);
        ObjectNode task = task(root.get("task"));
        ConfigPin pin = configPin(root.get("config_pin"));
        // stored exactly as typed; only the cron expression is read without its surrounding spaces
        return new ScheduleDefinition(name, cron, quartzCron, zone, task, pin,
                choice(root, "overlap_policy", OverlapPolicy.class, OverlapPolicy.SKIP),
                choice(root, "misfire_policy", MisfirePolicy.class, MisfirePolicy.FIRE_ONCE),
                enabled(root));
    }

    /** The zone a schedule names, or the default one; also what the cron preview uses. */
    ZoneId zone(String text) {
        if (text == null) {
            return properties.defaultTimeZone();
        }
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw ApiException.validation("time_zone",
                    "unknown time zone '" + text + "' (use an IANA id such as Asia/Shanghai)");
        }
    }

    private ObjectNode task(JsonNode task) {
        if (task == null || !task.isObject()) {
            throw ApiException.validation("task", "is required: a JSON object as POST /tasks takes it");
        }
        if (JsonFields.given(task.get("source_history_ids")) || JsonFields.given(task.get("sourceHistoryId"))) {
            throw ApiException.validation("task.source_history_ids", "pin template versions with config_pin instead");
        }
        TaskRequest request;
        try {
            request = taskValidator.validate(task);
        } catch (ApiException e) {
            throw ApiException.validation(e.field() == null || e.field().equals("body") ? "task" : "task." + e.field(),
                    e.getMessage());
        }
        List<Long> datasets = request.datasetIds();
        if (datasets != null && !datasets.isEmpty()) {
            TaskDatasets.resolve(jdbc, datasets, "task.dataset_ids");
        }
        return (ObjectNode) task;
    }

    private ConfigPin configPin(JsonNode pin) {
        if (pin == null || pin.isNull()) {
            return ConfigPin.current();
        }
        if (!pin.isObject()) {
            throw ApiException.validation("config_pin",
                    "must be {\"mode\": \"current\"} or {\"mode\": \"fixed\", \"history_ids\": [...]}");
        }
        unknownFields(pin, PIN_FIELDS, "config_pin.");
        String mode = JsonFields.text(pin.get("mode"), "config_pin.mode", 10);
        if (mode == null || ConfigPin.CURRENT.equals(mode)) {
            if (pin.has("history_ids") && !pin.get("history_ids").isEmpty()) {
                throw ApiException.validation("config_pin.history_ids", "only a fixed pin lists history ids");
            }
            return ConfigPin.current();
        }
        if (!ConfigPin.FIXED.equals(mode)) {
            throw ApiException.validation("config_pin.mode", "must be current or fixed");
        }
        JsonNode ids = pin.get("history_ids");
        if (ids == null || !ids.isArray() || ids.isEmpty()) {
            throw ApiException.validation("config_pin.history_ids", "a fixed pin needs a list of template history ids");
        }
        List<Long> historyIds = new ArrayList<>();
        for (JsonNode id : ids) {
            if (!id.isIntegralNumber() || !id.canConvertToLong() || id.longValue() <= 0) {
                throw ApiException.validation("config_pin.history_ids", "must be a list of positive ids");
            }
            historyIds.add(id.longValue());
        }
        try {
            // the checks a task makes of source_history_ids (each a template version with its backup file); the
            // contents it stores on the way are addressed by sha256, so this leaves nothing behind that matters
            snapshots.take(historyIds, Map.of());
        } catch (ApiException e) {
            throw ApiException.validation("config_pin.history_ids", e.getMessage());
        }
        return new ConfigPin(ConfigPin.FIXED, List.copyOf(historyIds));
    }

    private static boolean enabled(JsonNode root) {
        JsonNode value = root.get("enabled");
        if (value == null || value.isNull()) {
            return true;
        }
        if (!value.isBoolean()) {
            throw ApiException.validation("enabled", "must be true or false");
        }
        return value.booleanValue();
    }

    private static <E extends Enum<E>> E choice(JsonNode root, String field, Class<E> type, E fallback) {
        String value = JsonFields.text(root.get(field), field, 20);
        if (value == null) {
            return fallback;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().toLowerCase(Locale.ROOT).equals(value)) {
                return constant;
            }
        }
        throw ApiException.validation(field, "must be one of " + Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
    }

    private static void unknownFields(JsonNode object, Set<String> known, String prefix) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!known.contains(field)) {
                throw ApiException.validation(prefix + field, "unknown field");
            }
        }
    }
}
