package com.aistock.rdagent.spend;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.ApiParams;
import com.aistock.rdagent.system.ErrorCode;
import com.aistock.rdagent.system.Operators;
import com.aistock.rdagent.system.SqlFiles;
import com.aistock.rdagent.task.TaskStore;
import com.aistock.rdagent.task.TaskSubmission;
import org.apache.camel.Header;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Daily and monthly spending limits of each user or token (by the operator name tasks record: {@code alice},
 * {@code token:aistock}) and of the whole installation (subject {@code *}). A limit set through the API wins over
 * {@code scheduler.llm.quota.*}. A submission over a limit is refused with 429 {@code quota}; days and months begin
 * in {@code scheduler.llm.quota.time-zone}.
 */
@Component("spendQuotas")
public class SpendQuotas {

    public static final String INSTALLATION = "*";

    /** A subject's limits (null: none) and where they come from: {@code api} or {@code config}. */
    public record Limits(String subject, BigDecimal dailyUsd, BigDecimal monthlyUsd, String source, String updatedBy,
                         OffsetDateTime updatedAt) {
    }

    /** A subject's limits with what it spent in the current day and month, and when those begin again. */
    public record Standing(String subject, BigDecimal dailyUsd, BigDecimal monthlyUsd, String source,
                           BigDecimal spentToday, BigDecimal spentThisMonth, OffsetDateTime dayResetsAt,
                           OffsetDateTime monthResetsAt, String updatedBy, OffsetDateTime updatedAt) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final SpendStore store;
    private final TaskStore tasks;
    private final LlmProperties.Quota configured;
    private final Clock clock;

    public SpendQuotas(NamedParameterJdbcTemplate jdbc, SpendStore store, TaskStore tasks, LlmProperties properties) {
        this.jdbc = jdbc;
        this.store = store;
        this.tasks = tasks;
        this.configured = properties.quota();
        this.clock = Clock.system(configured.timeZone());
    }

    public ZoneId zone() {
        return configured.timeZone();
    }

    /** Refuses a task whose submitter, or the installation, has reached a spending limit. */
    public void admit(TaskSubmission submission) {
        refuseOver(submission.operator());
    }

    /** Refuses a batch, whose tasks are the caller's, as it would refuse each of them. */
    public void admitCaller() {
        refuseOver(Operators.current());
    }

    /** Refuses a resume when the task's operator, whose spend it continues, or the installation is over a limit. */
    public void admitResume(@Header("id") String id) {
        tasks.find(ApiParams.id("id", id)).ifPresent(task -> refuseOver(task.operator()));
    }

    private void refuseOver(String operator) {
        over(limits(operator)).or(() -> over(limits(INSTALLATION))).ifPresent(message -> {
            throw new ApiException(ErrorCode.QUOTA, null, message);
        });
    }

    /** Whether the installation has reached its daily or monthly limit. */
    public Optional<String> installationReached() {
        return over(limits(INSTALLATION));
    }

    public List<Standing> standings() {
        Map<String, Limits> all = new LinkedHashMap<>();
        all.put(INSTALLATION, limits(INSTALLATION));
        jdbc.query(SqlFiles.load("spend-quota-list"), Map.of(), rs -> {
            String subject = rs.getString("subject");
            all.put(subject, new Limits(subject, rs.getBigDecimal("daily_usd"), rs.getBigDecimal("monthly_usd"), "api",
                    rs.getString("updated_by"), rs.getObject("updated_at", OffsetDateTime.class)));
        });
        return all.values().stream().map(this::standing).toList();
    }

    /** The limits every user or token has unless the API set its own. */
    public Limits userDefault() {
        return new Limits(null, configured.userDailyUsd(), configured.userMonthlyUsd(), "config", null, null);
    }

    public void put(String subject, BigDecimal dailyUsd, BigDecimal monthlyUsd, String operator) {
        jdbc.update(SqlFiles.load("spend-quota-upsert"), new MapSqlParameterSource()
                .addValue("subject", subject).addValue("daily", dailyUsd).addValue("monthly", monthlyUsd)
                .addValue("operator", operator));
    }

    public boolean delete(String subject) {
        return jdbc.update(SqlFiles.load("spend-quota-delete"), Map.of("subject", subject)) == 1;
    }

    Limits limits(String subject) {
        List<Limits> set = jdbc.query(SqlFiles.load("spend-quota-list"), Map.of(), (rs, i) -> new Limits(
                rs.getString("subject"), rs.getBigDecimal("daily_usd"), rs.getBigDecimal("monthly_usd"), "api",
                rs.getString("updated_by"), rs.getObject("updated_at", OffsetDateTime.class)));
        return set.stream().filter(limits -> limits.subject().equals(subject)).findFirst()
                .orElseGet(() -> INSTALLATION.equals(subject)
                        ? new Limits(subject, configured.dailyUsd(), configured.monthlyUsd(), "config", null, null)
                        : new Limits(subject, configured.userDailyUsd(), configured.userMonthlyUsd(), "config", null,
                        null));
    }

    private Standing standing(Limits limits) {
        ZonedDateTime now = ZonedDateTime.now(clock);
        ZonedDateTime day = now.truncatedTo(ChronoUnit.DAYS);
        ZonedDateTime month = day.withDayOfMonth(1);
        String operator = INSTALLATION.equals(limits.subject()) ? null : limits.subject();
        return new Standing(limits.subject(), limits.dailyUsd(), limits.monthlyUsd(), limits.source(),
                store.spent(day.toOffsetDateTime(), operator), store.spent(month.toOffsetDateTime(), operator),
                day.plusDays(1).toOffsetDateTime(), month.plusMonths(1).toOffsetDateTime(), limits.updatedBy(),
                limits.updatedAt());
    }

    private Optional<String> over(Limits limits) {
        if (limits.dailyUsd() == null && limits.monthlyUsd() == null) {
            return Optional.empty();
        }
        Standing standing = standing(limits);
        String who = INSTALLATION.equals(limits.subject()) ? "the installation" : limits.subject();
        if (limits.dailyUsd() != null && standing.spentToday().compareTo(limits.dailyUsd()) >= 0) {
            return Optional.of(message("daily", who, limits.dailyUsd(), standing.spentToday(), "today",
                    standing.dayResetsAt()));
        }
        if (limits.monthlyUsd() != null && standing.spentThisMonth().compareTo(limits.monthlyUsd()) >= 0) {
            return Optional.of(message("monthly", who, limits.monthlyUsd(), standing.spentThisMonth(), "this month",
                    standing.monthResetsAt()));
        }
        return Optional.empty();
    }

    private static String message(String period, String who, BigDecimal limit, BigDecimal spent, String when,
                                  OffsetDateTime resets) {
        return "the " + period + " LLM spending limit of " + who + " is reached: limit $" + usd(limit) + ", spent $"
                + usd(spent) + " " + when + "; it resets at " + resets;
    }

    private static String usd(BigDecimal amount) {
        return amount.setScale(Math.max(2, Math.min(4, amount.stripTrailingZeros().scale())), RoundingMode.HALF_UP)
                .toPlainString();
    }
}
