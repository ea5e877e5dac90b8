package com.aistock.rdagent.task;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.ApiParams;
import com.aistock.rdagent.system.Created;
import com.aistock.rdagent.system.Operators;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.Headers;
import org.springframework.stereotype.Component;

/** Turns the REST routes' headers and bodies into service calls, refusing malformed parameters. */
@Component("taskApi")
public class TaskApi {

    private final TaskService service;
    private final ObjectMapper json;

    public TaskApi(TaskService service, ObjectMapper json) {
        this.service = service;
        this.json = json;
    }

    public TaskSubmission submission(@Body String body) {
        return new TaskSubmission(body, "api", Operators.current(), null);
    }

    /** A submission from the API answers 201 with what it created. */
    public Created<Submitted> created(@Body Submitted tasks) {
        return new Created<>(tasks);
    }

    public TaskPage list(@Headers Map<String, Object> query) {
        return service.list(filter(query), TaskSort.parse(param(query, "sort")),
                ApiParams.page(param(query, "page")), ApiParams.size(param(query, "size")));
    }

    /** The filters of the list (and its CSV) from the query parameters, refusing any malformed one by name. */
    public static TaskFilter filter(Map<String, ?> query) {
        String status = param(query, "status");
        TaskStatus statusFilter = null;
        if (status != null) {
            try {
                statusFilter = TaskStatus.valueOf(status.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.validation("status", "must be one of PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT");
            }
        }
        String q = param(query, "q");
        if (q != null && q.length() > 200) {
            throw ApiException.validation("q", "must be at most 200 characters");
        }
        String tag = param(query, "tag");
        if (tag != null && tag.codePointCount(0, tag.length()) > TaskLabels.MAX_TAG_LENGTH) {
            throw ApiException.validation("tag", "must be at most " + TaskLabels.MAX_TAG_LENGTH + " characters");
        }
        String scenario = param(query, "scenario");
        if (scenario != null && !TaskValidator.SCENARIOS.contains(scenario)) {
            throw ApiException.validation("scenario", "must be one of " + String.join(", ", TaskValidator.SCENARIOS));
        }
        Map<String, Double> min = new HashMap<>();
        Map<String, Double> max = new HashMap<>();
        for (String name : query.keySet()) {
            boolean isMin = name.startsWith("min_");
            if (isMin || name.startsWith("max_")) {
                String key = name.substring(4);
                if (!TaskSort.metricKeys().contains(key)) {
                    throw ApiException.validation(name, "no such metric; range filters are min_<key> and max_<key> for "
                            + String.join(", ", TaskSort.metricKeys()));
                }
                Double bound = number(name, param(query, name));
                if (bound != null) {
                    (isMin ? min : max).put(key, bound);
                }
            }
        }
        return new TaskFilter(statusFilter, q, optionalId(query, "dataset_id"), scenario,
                optionalId(query, "schedule_id"), uuid(query, "batch_id"), tag, bool(query, "starred"),
                bool(query, "accepted"), instant(query, "created_from", false), instant(query, "created_to", true),
                min, max);
    }

    /** A query parameter's text, stripped; null when absent or blank. */
    static String param(Map<String, ?> query, String name) {
        Object value = query.get(name);
        if (value instanceof List<?> values) {
            throw ApiException.validation(name, "give it once");
        }
        return value == null || value.toString().isBlank() ? null : value.toString().strip();
    }

    private static Long optionalId(Map<String, ?> query, String name) {
        String text = param(query, name);
        return text == null ? null : ApiParams.id(name, text);
    }

    private static UUID uuid(Map<String, ?> query, String name) {
        String text = param(query, name);
        try {
            return text == null ? null : UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.validation(name, "must be a UUID");
        }
    }

    private static Boolean bool(Map<String, ?> query, String name) {
        String text = param(query, name);
        if (text == null) {
            return null;
        }
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.validation(name, "must be true or false");
        };
    }

    private static Double number(String name, String text) {
        if (text == null) {
            return null;
        }
        try {
            double value = Double.parseDouble(text);
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.validation(name, "must be a finite number");
    }

    /**
     * An ISO date-time with offset, or a date (a whole day in UTC): {@code created_from} is inclusive,
     * {@code created_to} exclusive for a date-time and inclusive of the whole day for a date.
     */
    private static OffsetDateTime instant(Map<String, ?> query, String name, boolean end) {
        String text = param(query, name);
        if (text == null) {
            return null;
        }
        try {
            if (text.length() == 10) {
                LocalDate day = LocalDate.parse(text);
                return (end ? day.plusDays(1) : day).atStartOfDay().atOffset(ZoneOffset.UTC);
            }
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.validation(name, "must be an ISO date (2026-11-30) or date-time with offset");
        }
    }

    public Task label(@Header("id") String id, @Body String body) {
        long taskId = ApiParams.id("id", id);
        return service.label(taskId, TaskLabels.parse(body, json));
    }

    public List<TaskLabels.TagCount> tags() {
        return service.tags();
    }

    public Task get(@Header("id") String id) {
        return service.get(ApiParams.id("id", id));
    }

    public Task cancel(@Header("id") String id) {
        return service.cancel(ApiParams.id("id", id));
    }

    public TaskSubmission rerun(@Header("id") String id) {
        return TaskSubmission.rerun(ApiParams.id("id", id), Operators.current());
    }

    public Task resume(@Header("id") String id) {
        return service.resume(ApiParams.id("id", id));
    }
}
