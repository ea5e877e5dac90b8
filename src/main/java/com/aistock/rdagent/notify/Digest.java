package com.aistock.rdagent.notify;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.aistock.rdagent.system.SqlFiles;
import com.aistock.rdagent.task.Task;
import com.aistock.rdagent.task.TaskStatus;
import com.aistock.rdagent.task.TaskStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The daily digest: once the rule's {@code digest_time} has passed in its {@code time_zone}, one node takes the
 * day's digest (the rule remembers the day) and queues yesterday's runs, failures with their reason, the best new
 * SOTA results and spend, for the rule's channel.
 */
@Component("notifyDigest")
public class Digest {

    /** What a digest says about one day. */
    record Summary(LocalDate day, int finished, int succeeded, List<Task> failures, List<Task> best, Double spend) {
    }

    private static final int BEST = 3;

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final RuleStore rules;
    private final TaskStore tasks;
    private final EventQueue events;
    private final Messages messages;
    private final ObjectMapper json;

    Digest(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, RuleStore rules, TaskStore tasks,
           EventQueue events, Messages messages, ObjectMapper json) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.rules = rules;
        this.tasks = tasks;
        this.events = events;
        this.messages = messages;
        this.json = json;
    }

    public void check() {
        for (Rule rule : rules.active()) {
            if (!rule.wants(NotifyEvent.DIGEST)) {
                continue;
            }
            ZoneId zone = ZoneId.of(rule.timeZone());
            ZonedDateTime now = ZonedDateTime.now(zone);
            if (now.toLocalTime().isBefore(rule.digestTime())) {
                continue;
            }
            LocalDate today = now.toLocalDate();
            transactions.executeWithoutResult(status -> {
                if (!jdbc.queryForList(SqlFiles.load("notify-digest-claim"), Map.of("id", rule.id(), "today", today), Long.class).isEmpty()) {
                    Summary summary = summary(today.minusDays(1), zone);
                    ObjectNode payload = json.createObjectNode();
                    payload.set("message_zh", json.valueToTree(messages.digest(summary, false)));
                    payload.set("message_en", json.valueToTree(messages.digest(summary, true)));
                    events.record(NotifyEvent.DIGEST, null, null, rule.id(), payload);
                }
            });
        }
    }

    Summary summary(LocalDate day, ZoneId zone) {
        OffsetDateTime from = day.atTime(LocalTime.MIDNIGHT).atZone(zone).toOffsetDateTime();
        OffsetDateTime to = day.plusDays(1).atTime(LocalTime.MIDNIGHT).atZone(zone).toOffsetDateTime();
        List<Task> finished = jdbc.queryForList(SqlFiles.load("notify-digest-tasks"), Map.of("from", from, "to", to), Long.class)
                .stream().map(tasks::find).flatMap(Optional::stream).toList();
        List<Task> failures = finished.stream().filter(t -> t.status() == TaskStatus.FAILED || t.status() == TaskStatus.TIMED_OUT).toList();
        List<Task> best = finished.stream().filter(t -> t.status() == TaskStatus.SUCCEEDED && sotaReturn(t) != null)
                .sorted(Comparator.comparing(Digest::sotaReturn).reversed()).limit(BEST).toList();
        int succeeded = (int) finished.stream().filter(t -> t.status() == TaskStatus.SUCCEEDED).count();
        Double spend = jdbc.queryForObject(SqlFiles.load("notify-digest-spend"), Map.of("from", from, "to", to),
                Double.class);
        return new Summary(day, finished.size(), succeeded, failures, best, spend);
    }

    private static Double sotaReturn(Task task) {
        var value = task.metrics() == null ? null : task.metrics().path("sota").path("values").path("annualized_return");
        return value != null && value.isNumber() ? value.asDouble() : null;
    }
}
