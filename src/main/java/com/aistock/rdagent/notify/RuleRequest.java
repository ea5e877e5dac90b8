package com.aistock.rdagent.notify;

import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.JsonFields;
import com.aistock.rdagent.task.Metric;
import com.aistock.rdagent.task.RdAgentDuration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A rule as POST or PUT sends it, checked field by field. */
record RuleRequest(String name, long channelId, List<String> events, String scope, String scopeValue, String metric,
                   Double threshold, Integer stallAfterSeconds, LocalTime digestTime, String timeZone, boolean enabled) {

    private static final Set<String> FIELDS = Set.of("name", "channel_id", "events", "scope", "scope_value", "metric",
            "threshold", "stall_after", "digest_time", "time_zone", "enabled");
    private static final Pattern DURATION = Pattern.compile("^\\d{1,7}(\\.\\d{1,3})?[smhd]?$");
    private static final Pattern TIME = Pattern.compile("^\\d{2}:\\d{2}$");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    static RuleRequest parse(ObjectMapper json, String body) {
        JsonNode root = JsonFields.object(json, body, FIELDS);
        JsonNode channel = root.get("channel_id");
        if (channel == null || !channel.isIntegralNumber() || channel.asLong() <= 0) {
            throw ApiException.validation("channel_id", "is required: a channel's id");
        }
        JsonNode eventsNode = root.get("events");
        if (eventsNode == null || !eventsNode.isArray() || eventsNode.isEmpty()) {
            throw ApiException.validation("events", "is required: one or more of " + NotifyEvent.ALL);
        }
        List<String> events = new ArrayList<>();
        for (JsonNode event : eventsNode) {
            if (!event.isTextual() || !NotifyEvent.ALL.contains(event.asText())) {
                throw ApiException.validation("events", "must hold only " + NotifyEvent.ALL);
            }
            if (!events.contains(event.asText())) {
                events.add(event.asText());
            }
        }
        String scope = text(root, "scope", 10, "all");
        if (!NotifyEvent.SCOPES.contains(scope)) {
            throw ApiException.validation("scope", "must be one of " + NotifyEvent.SCOPES);
        }
        String scopeValue = scopeValue(scope, text(root, "scope_value", 100, null));
        String metric = null;
        Double threshold = null;
        if (events.contains(NotifyEvent.METRIC_THRESHOLD)) {
            metric = text(root, "metric", 30, null);
            if (metric == null || Metric.byKey(metric).isEmpty()) {
                throw ApiException.validation("metric", "is required with metric_threshold: one of " + Metric.keys());
            }
            JsonNode value = root.get("threshold");
            if (value == null || !value.isNumber() || !Double.isFinite(value.asDouble())) {
                throw ApiException.validation("threshold", "is required with metric_threshold: a finite number");
            }
            threshold = value.asDouble();
        } else if (root.hasNonNull("metric") || root.hasNonNull("threshold")) {
            throw ApiException.validation(root.hasNonNull("metric") ? "metric" : "threshold", "needs the event metric_threshold");
        }
        Integer stallAfter = null;
        if (root.hasNonNull("stall_after")) {
            String text = text(root, "stall_after", 12, null);
            if (!events.contains(NotifyEvent.STALLED)) {
                throw ApiException.validation("stall_after", "needs the event stalled");
            }
            if (!DURATION.matcher(text).matches()) {
                throw ApiException.validation("stall_after", "must be a duration such as 30m, 2h or 90 (seconds)");
            }
            long seconds = RdAgentDuration.parse(text).toSeconds();
            if (seconds < 1 || seconds > 7 * 86400) {
                throw ApiException.validation("stall_after", "must be from 1 second to 7 days");
            }
            stallAfter = (int) seconds;
        }
        LocalTime digestTime = null;
        String zone = null;
        if (events.contains(NotifyEvent.DIGEST)) {
            String time = text(root, "digest_time", 5, null);
            try {
                if (time == null || !TIME.matcher(time).matches()) {
                    throw new DateTimeParseException("", "", 0);
                }
                digestTime = LocalTime.parse(time);
            } catch (DateTimeParseException e) {
                throw ApiException.validation("digest_time", "is required with digest: HH:mm, e.g. 09:00");
            }
            zone = text(root, "time_zone", 64, "Asia/Shanghai");
            try {
                ZoneId.of(zone);
            } catch (Exception e) {
                throw ApiException.validation("time_zone", "must be a time zone such as Asia/Shanghai");
            }
        } else if (root.hasNonNull("digest_time") || root.hasNonNull("time_zone")) {
            throw ApiException.validation(root.hasNonNull("digest_time") ? "digest_time" : "time_zone", "needs the event digest");
        }
        String name = text(root, "name", 100, String.join(", ", events));
        if (CONTROL.matcher(name).find() || name.isBlank()) {
            throw ApiException.validation("name", "must have something besides spaces and no control characters");
        }
        JsonNode enabled = root.get("enabled");
        if (enabled != null && !enabled.isNull() && !enabled.isBoolean()) {
            throw ApiException.validation("enabled", "must be true or false");
        }
        return new RuleRequest(name, channel.asLong(), List.copyOf(events), scope, scopeValue, metric, threshold,
                stallAfter, digestTime, zone, enabled == null || enabled.isNull() || enabled.asBoolean());
    }

    private static String scopeValue(String scope, String value) {
        switch (scope) {
            case "all", "mine" -> {
                if (value != null) {
                    throw ApiException.validation("scope_value", "is not taken with scope " + scope);
                }
                return null;
            }
            case "task", "schedule" -> {
                try {
                    if (value != null && Long.parseLong(value) > 0) {
                        return Long.toString(Long.parseLong(value));
                    }
                } catch (NumberFormatException e) {
                    // answered below
                }
                throw ApiException.validation("scope_value", "is required with scope " + scope + ": its id");
            }
            case "batch" -> {
                try {
                    return UUID.fromString(value == null ? "" : value).toString();
                } catch (IllegalArgumentException e) {
                    throw ApiException.validation("scope_value", "is required with scope batch: the batch_id (a UUID)");
                }
            }
            default -> {
                if (value == null || value.isBlank() || CONTROL.matcher(value).find()) {
                    throw ApiException.validation("scope_value", "is required with scope tag: the tag");
                }
                return value;
            }
        }
    }

    private static String text(JsonNode root, String field, int max, String fallback) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (node.isNumber() && field.equals("scope_value")) {
            return node.asText();
        }
        if (!node.isTextual() || node.asText().length() > max) {
            throw ApiException.validation(field, "must be a string of at most " + max + " characters");
        }
        return node.asText();
    }

    Map<String, Object> params(String owner) {
        Map<String, Object> params = new HashMap<>();
        params.put("name", name);
        params.put("channelId", channelId);
        params.put("events", events.toArray(String[]::new));
        params.put("scope", scope);
        params.put("scopeValue", scopeValue);
        params.put("metric", metric);
        params.put("threshold", threshold);
        params.put("stallAfter", stallAfterSeconds);
        params.put("digestTime", digestTime);
        params.put("timeZone", timeZone);
        params.put("enabled", enabled);
        params.put("owner", owner);
        return params;
    }
}
