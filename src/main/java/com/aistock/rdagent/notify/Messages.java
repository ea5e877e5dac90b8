package com.aistock.rdagent.notify;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.aistock.rdagent.task.Task;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Short messages in the channel's language (Chinese unless it says English): what happened, the task's name and
 * status, its SOTA metrics, cost when known, duration, the reason of a failure, and a link into the console.
 */
@Component
class Messages {

    private static final Map<String, String[]> TITLES = Map.ofEntries(
            Map.entry("task_succeeded", new String[]{"任务成功", "Task succeeded"}),
            Map.entry("task_failed", new String[]{"任务失败", "Task failed"}),
            Map.entry("task_timed_out", new String[]{"任务超时", "Task timed out"}),
            Map.entry("task_cancelled", new String[]{"任务已取消", "Task cancelled"}),
            Map.entry(NotifyEvent.BUDGET_WARNING, new String[]{"预算已用 80%", "Budget 80% used"}),
            Map.entry(NotifyEvent.BUDGET_STOP, new String[]{"预算用尽，任务已停止", "Budget exhausted: task stopped"}),
            Map.entry(NotifyEvent.QUOTA_REACHED, new String[]{"配额已满，任务已停止", "Quota reached: task stopped"}),
            Map.entry(NotifyEvent.STALLED, new String[]{"任务停滞", "Task stalled"}),
            Map.entry(NotifyEvent.SCHEDULE_FAILED, new String[]{"定时任务触发失败", "Schedule failed to fire"}),
            Map.entry(NotifyEvent.SCHEDULE_SKIPPED, new String[]{"定时任务已跳过", "Schedule fire skipped"}),
            Map.entry(NotifyEvent.METRIC_THRESHOLD, new String[]{"指标达到阈值", "Metric threshold reached"}),
            Map.entry(NotifyEvent.DIGEST, new String[]{"每日摘要", "Daily digest"}),
            Map.entry("test", new String[]{"测试消息", "Test message"}));

    private final ObjectMapper json;
    private final String publicUrl;

    Messages(ObjectMapper json, @Value("${scheduler.public-url:}") String publicUrl) {
        this.json = json;
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    /** A message about one task; {@code payload} adds what the event knows (cost, idle time, the threshold). */
    Message task(String kind, Task task, JsonNode payload, boolean english) {
        String title = title(kind, english) + " #" + task.id() + " " + (task.name() == null ? "" : task.name());
        List<String[]> lines = new ArrayList<>();
        lines.add(line(english ? "Status" : "状态", task.status().name()));
        String sota = sota(task, "sota", english);
        String last = sota == null ? sota(task, "last", english) : null;
        if (sota != null) {
            lines.add(line("SOTA", sota));
        } else if (last != null) {
            // no accepted experiment: the latest loop's numbers say how far it got
            lines.add(line(english ? "Latest (no SOTA)" : "最新结果（无 SOTA）", last));
        }
        // the event's cost (a budget warning's, with the limit), else the task's own; unknown (null) shows nothing
        JsonNode cost = payload.hasNonNull("cost_usd") ? payload.path("cost_usd")
                : task.cost() == null ? null : task.cost().get("usd");
        if (cost != null && cost.isNumber()) {
            lines.add(line(english ? "Cost" : "费用", String.format(Locale.ROOT, "$%.2f%s", cost.asDouble(),
                    payload.hasNonNull("limit_usd") ? String.format(Locale.ROOT, " / $%.2f", payload.path("limit_usd").asDouble()) : "")));
        }
        if (task.startedAt() != null) {
            OffsetDateTime end = task.finishedAt() == null ? OffsetDateTime.now() : task.finishedAt();
            lines.add(line(english ? "Duration" : "时长", duration(Duration.between(task.startedAt(), end))));
        }
        if (payload.hasNonNull("idle_seconds")) {
            lines.add(line(english ? "No activity for" : "无进展", duration(Duration.ofSeconds(payload.path("idle_seconds").asLong()))));
        }
        if (payload.hasNonNull("metric")) {
            lines.add(line(english ? "Threshold" : "阈值", payload.path("metric").asText() + " ≥ " + payload.path("threshold").asText()));
        }
        if (task.stopReason() != null) {
            lines.add(line(english ? "Stop reason" : "停止原因", task.stopReason()));
        }
        if (task.error() != null && !task.error().isBlank()) {
            lines.add(line(english ? "Reason" : "原因", lastLine(task.error())));
        }
        return render(title, lines, link("#/monitor/" + task.id(), english), body(task));
    }

    /** A message about a schedule's fire (no task came of it). */
    Message schedule(String kind, long scheduleId, String reason, boolean english) {
        String title = title(kind, english) + " · " + (english ? "schedule #" : "定时任务 #") + scheduleId;
        List<String[]> lines = new ArrayList<>();
        if (reason != null) {
            lines.add(line(english ? "Reason" : "原因", reason));
        }
        return render(title, lines, link("#/schedules", english),
                write(Map.of("event", kind, "schedule_id", scheduleId, "reason", reason == null ? "" : reason)));
    }

    /** The daily digest: yesterday's runs, failures with their reason, the best new SOTA results, spend. */
    Message digest(Digest.Summary summary, boolean english) {
        String title = title(NotifyEvent.DIGEST, english) + " " + summary.day();
        List<String[]> lines = new ArrayList<>();
        lines.add(line(english ? "Runs" : "运行", summary.finished() + (english ? " finished, " : " 个结束，")
                + summary.succeeded() + (english ? " succeeded, " : " 个成功，") + summary.failures().size()
                + (english ? " failed" : " 个失败")));
        for (Task failed : summary.failures()) {
            lines.add(line("#" + failed.id() + " " + (failed.name() == null ? "" : failed.name()),
                    failed.status() + (failed.error() == null ? "" : ": " + lastLine(failed.error()))));
        }
        for (Task best : summary.best()) {
            lines.add(line(english ? "Best #" + best.id() : "最佳 #" + best.id(), sota(best, "sota", english)));
        }
        lines.add(line(english ? "Spend" : "费用", summary.spend() == null ? "—" : String.format(Locale.ROOT, "$%.2f", summary.spend())));
        return render(title, lines, link("#/tasks", english), write(summary));
    }

    Message test(Channel channel) {
        boolean english = channel.english();
        return render(title("test", english) + " · " + channel.name(),
                List.<String[]>of(line(english ? "Channel" : "通道", channel.type().id())), link("#/notifications", english),
                write(Map.of("event", "test", "channel", channel.name())));
    }

    private Message render(String title, List<String[]> lines, String[] link, String body) {
        StringBuilder markdown = new StringBuilder("### ").append(title).append("\n\n");
        StringBuilder text = new StringBuilder(title).append('\n');
        for (String[] line : lines) {
            markdown.append("- **").append(line[0]).append("**: ").append(line[1]).append('\n');
            text.append(line[0]).append(": ").append(line[1]).append('\n');
        }
        if (link != null) {
            markdown.append("\n[").append(link[0]).append("](").append(link[1]).append(")");
            text.append(link[0]).append(": ").append(link[1]).append('\n');
        }
        return new Message("【RD-Agent】" + title, markdown.toString(), text.toString(), body);
    }

    private String[] link(String fragment, boolean english) {
        return publicUrl.isBlank() ? null : new String[]{english ? "Open in the console" : "在控制台查看",
                publicUrl + "/rdagent/" + fragment};
    }

    /** One of the task's results ({@code sota}, {@code last}) as a short line, or null when it has none. */
    private static String sota(Task task, String which, boolean english) {
        JsonNode values = task.metrics() == null ? null : task.metrics().path(which).path("values");
        if (values == null || values.isMissingNode() || values.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        number(parts, "IC", values.path("ic"), false);
        number(parts, english ? "annualized" : "年化收益", values.path("annualized_return"), true);
        number(parts, english ? "max drawdown" : "最大回撤", values.path("max_drawdown"), true);
        return parts.isEmpty() ? null : String.join(" · ", parts);
    }

    private static void number(List<String> parts, String label, JsonNode value, boolean percent) {
        if (value.isNumber()) {
            parts.add(label + " " + (percent ? String.format(Locale.ROOT, "%.2f%%", value.asDouble() * 100)
                    : String.format(Locale.ROOT, "%.4f", value.asDouble())));
        }
    }

    private static String duration(Duration duration) {
        long minutes = duration.toMinutes();
        return minutes >= 60 ? minutes / 60 + "h " + minutes % 60 + "m"
                : minutes > 0 ? minutes + "m " + duration.toSecondsPart() + "s" : duration.toSeconds() + "s";
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        String last = lines[lines.length - 1].strip();
        return last.length() > 200 ? last.substring(0, 200) + "…" : last;
    }

    private static String[] line(String label, String value) {
        return new String[]{label, value};
    }

    private static String title(String kind, boolean english) {
        return TITLES.get(kind)[english ? 1 : 0];
    }

    private String body(Task task) {
        return write(task);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
