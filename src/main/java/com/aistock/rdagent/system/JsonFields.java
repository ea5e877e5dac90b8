package com.aistock.rdagent.system;

import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Field rules shared by the request validators. */
public final class JsonFields {

    private JsonFields() {
    }

    /**
     * Whether a field carries a value: present, not null, and not an empty list or object (which generated clients
     * send for every field they were not given).
     */
    public static boolean given(JsonNode value) {
        return value != null && !value.isNull() && !(value.isContainerNode() && value.isEmpty());
    }

    /** A bounded string without control characters, or null when absent. */
    public static String text(JsonNode value, String field, int maxLength) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.validation(field, "must be a string");
        }
        String text = value.asText();
        if (text.length() > maxLength) {
            throw ApiException.validation(field, "must be at most " + maxLength + " characters");
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.validation(field, "must not contain control characters");
        }
        return text;
    }

    /** A request body that must be a JSON object; otherwise a 400 naming {@code body}. */
    public static JsonNode object(ObjectMapper mapper, String body) {
        JsonNode json;
        try {
            json = mapper.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw ApiException.validation("body", "malformed JSON");
        }
        if (json == null || !json.isObject()) {
            throw ApiException.validation("body", "must be a JSON object");
        }
        return json;
    }

    /** A request body that must be a JSON object of only these fields; otherwise a 400 naming the culprit. */
    public static JsonNode object(ObjectMapper mapper, String body, Set<String> fields) {
        return only(object(mapper, body), fields);
    }

    /** A parsed body that must be a JSON object of only these fields; otherwise a 400 naming the culprit. */
    public static JsonNode only(JsonNode json, Set<String> fields) {
        if (!json.isObject()) {
            throw ApiException.validation("body", "must be a JSON object");
        }
        json.fieldNames().forEachRemaining(field -> {
            if (!fields.contains(field)) {
                throw ApiException.validation(field, "unknown field");
            }
        });
        return json;
    }
}
