package com.aistock.rdagent.task;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.aistock.rdagent.system.ApiException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a researcher writes on a task ({@code PATCH /tasks/{id}}): each field absent is left as it is. Lengths count
 * characters as people do (code points: an emoji is one).
 *
 * @param tags    null: unchanged; empty: no tags
 * @param setNote whether {@code note} replaces the note (null or blank clears it)
 * @param starred null: unchanged
 */
public record TaskLabels(List<String> tags, boolean setNote, String note, Boolean starred) {

    public static final int MAX_TAGS = 20;
    public static final int MAX_TAG_LENGTH = 40;
    public static final int MAX_NOTE_LENGTH = 4000;
    private static final Set<String> FIELDS = Set.of("tags", "note", "starred");

    public static TaskLabels parse(String body, ObjectMapper json) {
        JsonNode root;
        try {
            root = json.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw ApiException.validation("body", "malformed JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw ApiException.validation("body", "must be an object with tags, note or starred");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiException.validation(name, "unknown field; allowed: tags, note, starred");
            }
        }
        return new TaskLabels(tags(root.get("tags")), root.has("note"), note(root.get("note")),
                starred(root.get("starred")));
    }

    private static List<String> tags(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw ApiException.validation("tags", "must be a list of strings");
        }
        Set<String> tags = new LinkedHashSet<>();
        for (JsonNode tag : node) {
            if (!tag.isTextual() || tag.asText().isBlank()) {
                throw ApiException.validation("tags", "each tag must be a non-blank string");
            }
            String text = tag.asText().strip();
            if (text.codePointCount(0, text.length()) > MAX_TAG_LENGTH) {
                throw ApiException.validation("tags", "each tag must be at most " + MAX_TAG_LENGTH + " characters");
            }
            if (text.codePoints().anyMatch(Character::isISOControl)) {
                throw ApiException.validation("tags", "a tag must not contain control characters");
            }
            tags.add(text);
        }
        if (tags.size() > MAX_TAGS) {
            throw ApiException.validation("tags", "at most " + MAX_TAGS + " tags");
        }
        return new ArrayList<>(tags);
    }

    private static String note(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.validation("note", "must be a string");
        }
        String text = node.asText();
        if (text.codePointCount(0, text.length()) > MAX_NOTE_LENGTH) {
            throw ApiException.validation("note", "must be at most " + MAX_NOTE_LENGTH + " characters");
        }
        if (text.codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t' && c != '\r')) {
            throw ApiException.validation("note", "must not contain control characters other than line breaks and tabs");
        }
        return text.isBlank() ? null : text;
    }

    private static Boolean starred(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            throw ApiException.validation("starred", "must be true or false");
        }
        return node.asBoolean();
    }

    /** A tag and how many tasks carry it. */
    public record TagCount(String tag, long tasks) {
    }
}
