package com.aistock.rdagent.notify;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;

import com.aistock.rdagent.system.Secrets;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A channel as answered: each secret it holds is shown masked, as the .env shows its keys; a webhook URL keeps only
 * its scheme and host, so a reader can tell which robot it is without learning its token.
 */
public record ChannelView(long id, String name, String type, String language, int ratePerMinute, boolean enabled,
                          JsonNode settings, Map<String, String> secrets, String operator, OffsetDateTime createdAt,
                          OffsetDateTime updatedAt) {

    static ChannelView of(Channel channel) {
        Map<String, String> masked = new TreeMap<>();
        channel.secrets().forEach((field, value) -> masked.put(field, mask(value)));
        return new ChannelView(channel.id(), channel.name(), channel.type().id(), channel.language(),
                channel.ratePerMinute(), channel.enabled(), channel.settings(), masked, channel.operator(),
                channel.createdAt(), channel.updatedAt());
    }

    static String mask(String value) {
        try {
            URI uri = URI.create(value);
            if (uri.getScheme() != null && uri.getHost() != null) {
                return uri.getScheme() + "://" + uri.getHost() + "/" + Secrets.MASK;
            }
        } catch (IllegalArgumentException notUri) {
            // a key or password: masked whole
        }
        return Secrets.MASK;
    }
}
