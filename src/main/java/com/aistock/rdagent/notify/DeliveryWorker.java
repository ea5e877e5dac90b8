package com.aistock.rdagent.notify;

import java.util.ArrayList;
import java.util.HashMap;
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
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends the due deliveries, off the run's path (its own timer thread; a run only ever writes an event row), channel by
 * channel, each in a transaction of its own that holds the channel's lock and its deliveries' row locks while it
 * sends: no delivery is sent by two nodes, and a channel's rate limit is counted and spent by one node at a time.
 * Per channel at most its {@code rate_per_minute} messages in any minute, counted from the attempts table; what the
 * limit does not let go now stays queued, without an attempt, and does not hold up the other channels. Robots take up
 * to {@code batch-size} due notifications in one message, as long as it stays within the robot's size limit, so a
 * burst arrives whole within the rate limit. A failed attempt (no answer, an HTTP error, a robot's own error code) is
 * retried after an exponential backoff up to {@code max-attempts}. Every attempt is recorded.
 */
@Component("notifyDeliveries")
public class DeliveryWorker {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    record Due(long id, int attempts, Message message) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final ChannelStore channels;
    private final Map<ChannelType, Sender> senders;
    private final NotifyProperties properties;
    private final ObjectMapper json;
    private final MeterRegistry registry;

    DeliveryWorker(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, ChannelStore channels,
                   List<Sender> senders, NotifyProperties properties, ObjectMapper json, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.channels = channels;
        this.senders = senders.stream().collect(Collectors.toMap(Sender::type, Function.identity()));
        this.properties = properties;
        this.json = json;
        this.registry = registry;
    }

    public void deliver() {
        for (long channelId : jdbc.queryForList(SqlFiles.load("notify-delivery-channels"), Map.of(), Long.class)) {
            transactions.executeWithoutResult(status -> deliver(channelId));
        }
    }

    private void deliver(long channelId) {
        Map<String, Object> channelParam = Map.of("channelId", channelId);
        if (!jdbc.queryForObject(SqlFiles.load("notify-channel-lock"), channelParam, Boolean.class)) {
            return; // another node is sending to it
        }
        Optional<Channel> found = channels.find(channelId);
        if (found.isEmpty() || !found.get().enabled()) {
            jdbc.update(SqlFiles.load("notify-delivery-drop"), channelParam);
            return;
        }
        Channel channel = found.get();
        long recent = jdbc.queryForObject(SqlFiles.load("notify-sends-recent"), channelParam, Long.class);
        long budget = channel.ratePerMinute() - recent;
        if (budget <= 0) {
            return;
        }
        int per = channel.type().batches() ? Math.max(1, properties.batchSize()) : 1;
        List<Due> due = jdbc.query(SqlFiles.load("notify-delivery-claim"), Map.of("channelId", channelId, "limit", budget * per),
                (rs, n) -> {
                    try {
                        return new Due(rs.getLong("id"), rs.getInt("attempts"), json.readValue(rs.getString("message"), Message.class));
                    } catch (java.io.IOException e) {
                        throw new java.sql.SQLException("unreadable message of delivery " + rs.getLong("id"), e);
                    }
                });
        Sender sender = senders.get(channel.type());
        // what is left once the budget is spent stays queued, unchanged (no attempt is counted)
        for (List<Due> batch : messages(channel, due, per).stream().limit(budget).toList()) {
            SendResult result = sender.send(channel, batch.stream().map(Due::message).toList());
            recordAttempt(channel, batch, result);
        }
    }

    /**
     * The due notifications in messages, in order: a robot's message takes the next ones while it has fewer than
     * {@code per} and their combined message stays within the robot's size limit; one too large alone goes alone.
     */
    private static List<List<Due>> messages(Channel channel, List<Due> due, int per) {
        List<List<Due>> messages = new ArrayList<>();
        List<Due> current = new ArrayList<>();
        for (Due next : due) {
            if (!current.isEmpty() && (current.size() >= per || !fits(channel, current, next))) {
                messages.add(current);
                current = new ArrayList<>();
            }
            current.add(next);
        }
        if (!current.isEmpty()) {
            messages.add(current);
        }
        return messages;
    }

    private static boolean fits(Channel channel, List<Due> batch, Due next) {
        List<Message> combined = new ArrayList<>(batch.stream().map(Due::message).toList());
        combined.add(next.message());
        ChannelType type = channel.type();
        return type.size(RobotSenders.combined(channel, combined)) <= type.maxMessageBytes();
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
}
