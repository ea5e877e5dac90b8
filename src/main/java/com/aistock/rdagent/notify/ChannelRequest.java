package com.aistock.rdagent.notify;

import java.net.URI;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.JsonFields;
import com.aistock.rdagent.system.Secrets;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A channel as POST or PUT sends it, checked field by field. Secret fields left out of a PUT, or sent back masked
 * as a GET shows them, keep their stored value, so a channel can be renamed without typing its keys again.
 */
record ChannelRequest(String name, ChannelType type, String language, int ratePerMinute, boolean enabled,
                      ObjectNode settings, Map<String, String> secrets) {

    private static final Set<String> COMMON = Set.of("name", "type", "language", "rate_per_minute", "enabled");
    private static final Map<ChannelType, Set<String>> FIELDS = Map.of(
            ChannelType.DINGTALK, Set.of("webhook", "secret"),
            ChannelType.FEISHU, Set.of("webhook", "secret"),
            ChannelType.WECOM, Set.of("key", "url"),
            ChannelType.WEBHOOK, Set.of("url", "secret"),
            ChannelType.EMAIL, Set.of("smtp_host", "smtp_port", "security", "username", "password", "from", "to"));
    /** Fields whose values are secrets. */
    static final Set<String> SECRET_FIELDS = Set.of("webhook", "secret", "key", "password");
    private static final Pattern EMAIL = Pattern.compile("^[^\\s@<>\",]{1,64}@[^\\s@<>\",]{1,255}$");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    static ChannelRequest parse(ObjectMapper json, String body, Channel stored) {
        JsonNode root = JsonFields.object(json, body);
        String name = text(root, "name", true, 100);
        if (name.isBlank() || CONTROL.matcher(name).find()) {
            throw ApiException.validation("name", "must have something besides spaces and no control characters");
        }
        ChannelType type;
        try {
            type = ChannelType.of(text(root, "type", true, 20));
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("type", "must be dingtalk, wecom, feishu, email or webhook");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!COMMON.contains(field) && !FIELDS.get(type).contains(field)) {
                throw ApiException.validation(field, "is not a field of a " + type.id() + " channel");
            }
        }
        String language = root.hasNonNull("language") ? text(root, "language", true, 2) : "zh";
        if (!language.equals("zh") && !language.equals("en")) {
            throw ApiException.validation("language", "must be zh or en");
        }
        int rate = integer(root, "rate_per_minute", type.defaultRate(), 1, 600);
        JsonNode enabledNode = root.get("enabled");
        if (enabledNode != null && !enabledNode.isNull() && !enabledNode.isBoolean()) {
            throw ApiException.validation("enabled", "must be true or false");
        }
        boolean enabled = enabledNode == null || enabledNode.isNull() || enabledNode.asBoolean();

        Map<String, String> kept = stored != null && stored.type() == type ? stored.secrets() : Map.of();
        Map<String, String> secrets = new HashMap<>();
        ObjectNode settings = json.createObjectNode();
        switch (type) {
            case DINGTALK, FEISHU -> {
                secret(root, "webhook", kept, secrets, true, true);
                secret(root, "secret", kept, secrets, false, false);
            }
            case WEBHOOK -> {
                secret(root, "url", kept, secrets, true, true);
                secret(root, "secret", kept, secrets, false, false);
            }
            case WECOM -> {
                secret(root, "key", kept, secrets, true, false);
                String url = root.hasNonNull("url") ? url("url", text(root, "url", true, 500)) : null;
                settings.put("url", url == null ? "https://qyapi.weixin.qq.com/cgi-bin/webhook/send" : url);
            }
            case EMAIL -> email(root, kept, secrets, settings);
        }
        return new ChannelRequest(name, type, language, rate, enabled, settings, secrets);
    }

    private static void email(JsonNode root, Map<String, String> kept, Map<String, String> secrets, ObjectNode settings) {
        String host = text(root, "smtp_host", true, 255);
        if (host.isBlank() || host.contains(" ")) {
            throw ApiException.validation("smtp_host", "must be a host name");
        }
        String security = root.hasNonNull("security") ? text(root, "security", true, 10) : "starttls";
        if (!List.of("none", "starttls", "ssl").contains(security)) {
            throw ApiException.validation("security", "must be none, starttls or ssl");
        }
        int port = integer(root, "smtp_port", security.equals("ssl") ? 465 : security.equals("starttls") ? 587 : 25, 1, 65535);
        String from = text(root, "from", true, 320);
        if (!EMAIL.matcher(from).matches()) {
            throw ApiException.validation("from", "must be an e-mail address");
        }
        JsonNode to = root.get("to");
        if (to == null || !to.isArray() || to.isEmpty() || to.size() > 20) {
            throw ApiException.validation("to", "must be a list of 1 to 20 e-mail addresses");
        }
        for (JsonNode address : to) {
            if (!address.isTextual() || !EMAIL.matcher(address.asText()).matches()) {
                throw ApiException.validation("to", "must hold e-mail addresses only");
            }
        }
        settings.put("smtp_host", host);
        settings.put("smtp_port", port);
        settings.put("security", security);
        if (root.hasNonNull("username")) {
            settings.put("username", text(root, "username", true, 320));
        }
        settings.put("from", from);
        settings.set("to", to);
        secret(root, "password", kept, secrets, false, false);
        if (secrets.containsKey("password") && !settings.has("username")) {
            throw ApiException.validation("username", "is required with a password");
        }
    }

    private static void secret(JsonNode root, String field, Map<String, String> kept, Map<String, String> secrets,
                               boolean required, boolean isUrl) {
        JsonNode node = root.get(field);
        String value;
        if (node == null || node.isNull() || (node.isTextual() && node.asText().contains(Secrets.MASK))) {
            value = kept.get(field);
        } else {
            value = text(root, field, true, 1000);
            if (value.isBlank()) {
                value = null;
            } else if (isUrl) {
                url(field, value);
            }
        }
        if (value == null && required) {
            throw ApiException.validation(field, "is required");
        }
        if (value != null) {
            secrets.put(field, value);
        }
    }

    private static String url(String field, String value) {
        try {
            URI uri = URI.create(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return value;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw ApiException.validation(field, "must be an http(s) URL");
    }

    private static String text(JsonNode root, String field, boolean required, int max) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw ApiException.validation(field, "is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.validation(field, "must be a string");
        }
        if (node.asText().length() > max) {
            throw ApiException.validation(field, "must be at most " + max + " characters");
        }
        return node.asText();
    }

    private static int integer(JsonNode root, String field, int fallback, int min, int max) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < min || node.asInt() > max) {
            throw ApiException.validation(field, "must be an integer from " + min + " to " + max);
        }
        return node.asInt();
    }

    Map<String, Object> params(ObjectMapper json, String operator) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", name);
        params.put("type", type.id());
        params.put("language", language);
        params.put("rate", ratePerMinute);
        params.put("enabled", enabled);
        try {
            params.put("settings", json.writeValueAsString(settings));
            params.put("secrets", json.writeValueAsString(secrets));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        params.put("operator", operator);
        return params;
    }
}
