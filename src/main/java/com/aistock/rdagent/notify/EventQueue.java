package com.aistock.rdagent.notify;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.aistock.rdagent.system.SqlFiles;
import com.aistock.rdagent.task.Task;
import com.aistock.rdagent.task.TaskStatus;
import com.aistock.rdagent.task.TaskStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Events become deliveries: each new event (a task's end written by the database's trigger in the same transaction,
 * a schedule's failed or skipped fire, a stall, a digest, a spend warning) is matched against the active rules,
 * and one delivery per matching rule is queued with its message, in the transaction that marks the event done.
 */
@Component("notifyEvents")
public class EventQueue {

    record Event(long id, String kind, Long taskId, Long scheduleId, Long ruleId, JsonNode payload) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final RuleStore rules;
    private final ChannelStore channels;
    private final TaskStore tasks;
    private final Messages messages;
    private final ObjectMapper json;

    EventQueue(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, RuleStore rules, ChannelStore channels,
               TaskStore tasks, Messages messages, ObjectMapper json) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.rules = rules;
        this.channels = channels;
        this.tasks = tasks;
        this.messages = messages;
        this.json = json;
    }

    /** Records an event; {@code ruleId} names the one rule it is for, or null for any rule that wants it. */
    void record(String kind, Long taskId, Long scheduleId, Long ruleId, ObjectNode payload) {
        Map<String, Object> params = new HashMap<>();
        params.put("kind", kind);
        params.put("taskId", taskId);
        params.put("scheduleId", scheduleId);
        params.put("ruleId", ruleId);
        params.put("payload", payload.toString());
        jdbc.update(SqlFiles.load("notify-event-insert"), params);
    }

    /** Takes the new events (one node each) and queues their deliveries. */
    public void process() {
        transactions.executeWithoutResult(status -> {
            List<Event> events = jdbc.query(SqlFiles.load("notify-event-claim"), Map.of(), (rs, n) -> {
                try {
                    return new Event(rs.getLong("id"), rs.getString("kind"), (Long) rs.getObject("task_id"),
                            (Long) rs.getObject("schedule_id"), (Long) rs.getObject("rule_id"), json.readTree(rs.getString("payload")));
                } catch (java.io.IOException e) {
                    throw new java.sql.SQLException("unreadable event payload", e);
                }
            });
            if (events.isEmpty()) {
                return;
            }
            List<Rule> active = rules.active();
            Map<Long, Optional<Channel>> channelCache = new HashMap<>();
            List<Long> done = new ArrayList<>();
            for (Event event : events) {
                done.add(event.id());
                Optional<Task> task = event.taskId() == null ? Optional.empty()
                        : tasks.find(event.taskId()).map(t -> asEnded(t, event.payload().path("ended")));
                for (Rule rule : active) {
                    if (event.ruleId() != null && event.ruleId() != rule.id()) {
                        continue;
                    }
                    Optional<String> kind = kind(event, rule, task);
                    if (kind.isEmpty()) {
                        continue;
                    }
                    Optional<Channel> channel = channelCache.computeIfAbsent(rule.channelId(), channels::find);
                    channel.ifPresent(c -> queue(event, rule, c, kind.get(), task));
                }
            }
            jdbc.update(SqlFiles.load("notify-event-forget"), Map.of("ids", done));
        });
    }

    /** The task as its end left it (the trigger's snapshot), not as it is now: a later change is a later event. */
    private static Task asEnded(Task task, JsonNode ended) {
        if (ended.isMissingNode()) {
            return task;
        }
        return task.asEnded(TaskStatus.valueOf(ended.path("status").asText()), ended.path("stop_reason").textValue(),
                ended.path("error").textValue(), ended.path("metrics").isObject() ? ended.path("metrics") : null,
                ended.hasNonNull("finished_at") ? OffsetDateTime.parse(ended.path("finished_at").asText()) : task.finishedAt());
    }

    private Optional<String> kind(Event event, Rule rule, Optional<Task> task) {
        return switch (event.kind()) {
            case "task_finished" -> task.filter(t -> RuleScope.covers(rule, t)).flatMap(t -> EventRouter.finished(rule, t));
            case NotifyEvent.SCHEDULE_FAILED, NotifyEvent.SCHEDULE_SKIPPED ->
                    Optional.of(event.kind()).filter(k -> rule.wants(k) && RuleScope.coversSchedule(rule, event.scheduleId()));
            case NotifyEvent.DIGEST -> Optional.of(event.kind()).filter(rule::wants);
            default -> Optional.of(event.kind()).filter(k -> rule.wants(k) && task.isPresent() && RuleScope.covers(rule, task.get()));
        };
    }

    private void queue(Event event, Rule rule, Channel channel, String kind, Optional<Task> task) {
        boolean english = channel.english();
        ObjectNode payload = event.payload().deepCopy();
        if (kind.equals(NotifyEvent.METRIC_THRESHOLD)) {
            payload.put("metric", rule.metric());
            payload.put("threshold", rule.threshold());
        }
        Message message;
        if (kind.equals(NotifyEvent.DIGEST)) {
            message = json.convertValue(event.payload().path("message_" + (english ? "en" : "zh")), Message.class);
        } else if (task.isPresent()) {
            message = messages.task(kind, task.get(), payload, english);
        } else {
            message = messages.schedule(kind, event.scheduleId(), payload.path("reason").asText(null), english);
        }
        Map<String, Object> params = new HashMap<>();
        params.put("eventId", event.id());
        params.put("ruleId", rule.id());
        params.put("channelId", channel.id());
        params.put("kind", kind);
        params.put("taskId", event.taskId());
        params.put("message", json.valueToTree(message).toString());
        jdbc.update(SqlFiles.load("notify-delivery-insert"), params);
    }
}
