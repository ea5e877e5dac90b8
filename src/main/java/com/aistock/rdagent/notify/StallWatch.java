package com.aistock.rdagent.notify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.aistock.rdagent.run.Workspace;
import com.aistock.rdagent.system.SchedulerProperties;
import com.aistock.rdagent.system.SqlFiles;
import com.aistock.rdagent.task.Task;
import com.aistock.rdagent.task.TaskStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Stalled runs: each node looks at its own RUNNING tasks (their run.log is on its disk). A task's last activity is
 * its last log line (run.log's modification time) or its last step change, whichever is later; when that is older
 * than the rule's {@code stall_after} (default {@code scheduler.notify.stall-after}) the rule gets one alert for
 * that activity, however often this looks: the next alert needs new activity and a new stall.
 */
@Component("stallWatch")
public class StallWatch {

    /** The step a task was last seen at, and since when. */
    private record Step(String key, Instant since) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final RuleStore rules;
    private final TaskStore tasks;
    private final EventQueue events;
    private final NotifyProperties properties;
    private final ObjectMapper json;
    private final String node;
    private final Map<Long, Step> steps = new ConcurrentHashMap<>();

    StallWatch(NamedParameterJdbcTemplate jdbc, RuleStore rules, TaskStore tasks, EventQueue events,
               NotifyProperties properties, ObjectMapper json, SchedulerProperties scheduler) {
        this.jdbc = jdbc;
        this.rules = rules;
        this.tasks = tasks;
        this.events = events;
        this.properties = properties;
        this.json = json;
        this.node = scheduler.nodeId();
    }

    public void check() {
        List<Rule> watching = rules.active().stream().filter(rule -> rule.wants(NotifyEvent.STALLED)).toList();
        List<Long> running = jdbc.queryForList(SqlFiles.load("notify-running-here"), Map.of("node", node), Long.class);
        steps.keySet().retainAll(running);
        if (watching.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        for (long id : running) {
            Optional<Task> task = tasks.find(id);
            if (task.isEmpty() || task.get().startedAt() == null) {
                continue;
            }
            Instant activity = lastActivity(task.get(), now).truncatedTo(ChronoUnit.MILLIS);
            for (Rule rule : watching) {
                Duration after = rule.stallAfterSeconds() == null ? properties.stallAfter() : Duration.ofSeconds(rule.stallAfterSeconds());
                if (RuleScope.covers(rule, task.get()) && Duration.between(activity, now).compareTo(after) >= 0) {
                    alertOnce(rule, task.get(), activity, now);
                }
            }
        }
    }

    private void alertOnce(Rule rule, Task task, Instant activity, Instant now) {
        Map<String, Object> params = new HashMap<>();
        params.put("ruleId", rule.id());
        params.put("taskId", task.id());
        params.put("since", OffsetDateTime.ofInstant(activity, ZoneOffset.UTC));
        if (!jdbc.queryForList(SqlFiles.load("notify-stall-mark"), params, Long.class).isEmpty()) {
            ObjectNode payload = json.createObjectNode();
            payload.put("idle_seconds", Duration.between(activity, now).toSeconds());
            payload.put("since", activity.toString());
            events.record(NotifyEvent.STALLED, task.id(), task.scheduleId(), rule.id(), payload);
        }
    }

    private Instant lastActivity(Task task, Instant now) {
        Instant latest = task.startedAt().toInstant();
        if (task.workspacePath() != null) {
            try {
                Path log = new Workspace(Path.of(task.workspacePath())).runLog();
                Instant written = Files.getLastModifiedTime(log).toInstant();
                latest = written.isAfter(latest) ? written : latest;
            } catch (IOException noLogYet) {
                // nothing written yet: the start counts
            }
        }
        // a step change counts from when this node saw it (from the start, the first time it sees the task)
        String key = task.progress() == null ? "" : task.progress().path("loop").asText() + "/" + task.progress().path("step").asText();
        Instant started = task.startedAt().toInstant();
        Step step = steps.compute(task.id(), (id, seen) -> seen == null ? new Step(key, started)
                : seen.key().equals(key) ? seen : new Step(key, now));
        return step.since().isAfter(latest) ? step.since() : latest;
    }
}
