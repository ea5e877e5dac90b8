package com.aistock.rdagent.notify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.aistock.rdagent.system.SqlFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Sends the due deliveries, off the run's path (its own timer thread; a run only ever writes an event row). Per
 * channel at most its {@code rate_per_minute} messages in any minute, counted from the attempts table so every
 * node sees the same count; robots take up to {@code batch-size} due notifications in one message, so a burst
 * arrives whole within the limit. A failed attempt (no answer, an HTTP error, a robot's own error code) is
 * retried after an exponential backoff up to {@code max-attempts}. Every attempt is recorded.
 */
@Component("notifyDeliveries")
public class DeliveryWorker {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
    private static final int LEASE_SECONDS = 120;

    record Due(long id, long channelId, int attempts, Message message) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final ChannelStore channels;
    private final Map<ChannelType, Sender> senders;
    private final NotifyProperties properties;
    private final ObjectMapper json;
    private final MeterRegistry registry;

    DeliveryWorker(NamedParameterJdbcTemplate jdbc, ChannelStore channels, List<Sender> senders,
                   NotifyProperties properties, ObjectMapper json, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.channels = channels;
        this.senders = senders.stream().collect(Collectors.toMap(Sender::type, Function.identity()));
        this.properties = properties;
        this.json = json;
        this.registry = registry;
    }

    public void deliver() {
        List<Due> due = jdbc.query(SqlFiles.load("notify-delivery-claim"), Map.of("leaseSeconds", LEASE_SECONDS), (rs, n) -> {
            try {
                return new Due(rs.getLong("id"), rs.getLong("channel_id"), rs.getInt("attempts"),
                        json.readValue(rs.getString("message"), Message.class));
            } catch (java.io.IOException e) {
                throw new java.sql.SQLException("unreadable message of delivery " + rs.getLong("id"), e);
            }
        });
        Map<Long, List<Due>> byChannel = due.stream().collect(Collectors.groupingBy(Due::channelId, LinkedHashMap::new, Collectors.toList()));
        byChannel.forEach(this::deliver);
    }

    private void deliver(long channelId, List<Due> due) {
        Optional<Channel> found = channels.find(channelId);
        if (found.isEmpty() || !found.get().enabled()) {
            jdbc.update(SqlFiles.load("notify-delivery-drop"), Map.of("ids", ids(due)));
            return;
        }
        Channel channel = found.get();
        long recent = jdbc.queryForObject(SqlFiles.load("notify-sends-recent"), Map.of("channelId", channelId), Long.class);
        long budget = channel.ratePerMinute() - recent;
        List<List<Due>> messages = new ArrayList<>();
        int per = channel.type().batches() ? Math.max(1, properties.batchSize()) : 1;
        for (int i = 0; i < due.size() && messages.size() < budget; i += per) {
            messages.add(due.subList(i, Math.min(due.size(), i + per)));
        }
        int taken = messages.stream().mapToInt(List::size).sum();
        if (taken < due.size()) {
            // the limit is used up: the rest waits for a slot, unchanged (no attempt is counted)
            jdbc.update(SqlFiles.load("notify-delivery-release"), Map.of("ids", ids(due.subList(taken, due.size())),
                    "delaySeconds", 1.0));
        }
        Sender sender = senders.get(channel.type());
        for (List<Due> batch : messages) {
            SendResult result = sender.send(channel, batch.stream().map(Due::message).toList());
            recordAttempt(channel, batch, result);
        }
    }

    private void recordAttempt(Channel channel, List<Due> batch, SendResult result) {
        long sendNo = jdbc.queryForObject(SqlFiles.load("notify-send-next"), Map.of(), Long.class);
        for (Due delivery : batch) {
            int attempt = delivery.attempts() + 1;
            Map<String, Object> params = new HashMap<>();
            params.put("deliveryId", delivery.id());
            params.put("channelId", channel.id());
            params.put("sendNo", sendNo);
            params.put("attempt", attempt);
            params.put("outcome", result.ok() ? "sent" : "failed");
            params.put("statusCode", result.statusCode());
            params.put("error", result.error());
            params.put("batchSize", batch.size());
            jdbc.update(SqlFiles.load("notify-attempt-insert"), params);
            boolean givenUp = !result.ok() && attempt >= properties.maxAttempts();
            Map<String, Object> after = new HashMap<>();
            after.put("id", delivery.id());
            after.put("attempts", attempt);
            after.put("status", result.ok() ? "sent" : givenUp ? "failed" : "pending");
            after.put("delaySeconds", result.ok() || givenUp ? 0.0 : backoff(attempt));
            jdbc.update(SqlFiles.load("notify-delivery-after"), after);
        }
        counter(channel.type(), result.ok() ? "sent" : "failed").increment(batch.size());
        if (!result.ok()) {
            log.warn("Notification to channel {} ({}) failed, {} notification(s): {}", channel.id(), channel.type().id(),
                    batch.size(), result.error());
        }
    }

    /** Seconds before attempt {@code attempt + 1}: retry-delay, doubling, at most max-retry-delay. */
    double backoff(int attempt) {
        double seconds = properties.retryDelay().toMillis() / 1000.0 * Math.pow(2, attempt - 1);
        return Math.min(seconds, properties.maxRetryDelay().toMillis() / 1000.0);
    }

    private Counter counter(ChannelType type, String outcome) {
        return Counter.builder("rdagent.notifications").description("notifications sent or failed, one per attempt")
                .tag("type", type.id()).tag("outcome", outcome).register(registry);
    }

    private static List<Long> ids(List<Due> due) {
        return due.stream().map(Due::id).toList();
    }
}
