package com.aistock.rdagent.notify;

import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonFormat;

/**
 * What goes to a channel: the events, which tasks (scope), and per event its settings (the metric threshold, how
 * long without activity is a stall, when the digest goes out).
 */
public record Rule(long id, String name, long channelId, List<String> events, String scope, String scopeValue,
                   String metric, Double threshold, Integer stallAfterSeconds,
                   @JsonFormat(pattern = "HH:mm") LocalTime digestTime, String timeZone, boolean enabled,
                   String owner, OffsetDateTime createdAt) {

    boolean wants(String event) {
        return enabled && events.contains(event);
    }
}
