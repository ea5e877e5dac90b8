package com.aistock.rdagent.notify;

import java.time.OffsetDateTime;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A channel as stored, secrets included: only the senders see this; answers show {@link ChannelView}.
 *
 * @param settings what may be shown (SMTP host, port, user, addresses, WeCom's base URL)
 * @param secrets  webhook URLs (they carry the robot's token), signing secrets, WeCom keys, the SMTP password
 */
public record Channel(long id, String name, ChannelType type, String language, int ratePerMinute, boolean enabled,
                      JsonNode settings, Map<String, String> secrets, String operator, OffsetDateTime createdAt,
                      OffsetDateTime updatedAt) {

    public String secret(String field) {
        return secrets.get(field);
    }

    public String setting(String field) {
        JsonNode value = settings.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** Text about this channel (an error, a robot's answer) with every secret value it holds masked. */
    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        String scrubbed = text;
        for (String secret : secrets.values()) {
            scrubbed = scrubbed.replace(secret, com.aistock.rdagent.system.Secrets.MASK);
        }
        return scrubbed;
    }

    public boolean english() {
        return "en".equals(language);
    }
}
