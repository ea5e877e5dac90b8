package com.aistock.rdagent.spend;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.aistock.rdagent.system.SqlFiles;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code rdagent_llm_call} table and the sums made of it. Every statement is a named SQL file. */
@Repository
public class SpendStore {

    /** A call as read: where it was recorded, what it used, what it cost and who priced it. */
    record Call(TraceRecords.Place place, TokenCost tokens, PriceTable.Priced priced) {
    }

    /** One group of a task's calls: a loop (null: outside any loop), a model and who priced them. */
    record Sum(Integer loop, String model, String pricedBy, long calls, long promptTokens, long completionTokens,
               BigDecimal usd) {
    }

    /** A group of a spend report (a day, a model or a user). */
    public record Group(String key, long calls, long promptTokens, long completionTokens, BigDecimal usd,
                        long unpricedCalls) {
    }

    /** How a spend report groups. */
    public enum GroupBy {
        DAY, MODEL, USER
    }

    private final NamedParameterJdbcTemplate jdbc;

    public SpendStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Set<String> paths(long taskId) {
        return new HashSet<>(jdbc.queryForList(SqlFiles.load("spend-call-paths"), Map.of("taskId", taskId),
                String.class));
    }

    /** @return the calls stored now (a call already there, read by another pass, is not stored twice) */
    List<Call> insert(long taskId, int attempt, String operator, List<Call> calls) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("taskId", taskId)
                .addValue("attempt", attempt)
                .addValue("operator", operator)
                .addValue("paths", calls.stream().map(call -> call.place().path()).toArray(String[]::new))
                .addValue("loops", calls.stream().map(call -> call.place().loop()).toArray(Integer[]::new))
                .addValue("steps", calls.stream().map(call -> call.place().step()).toArray(String[]::new))
                .addValue("calledAt", calls.stream().map(call -> call.place().calledAt() == null ? null
                        : call.place().calledAt().toString()).toArray(String[]::new))
                .addValue("models", calls.stream().map(call -> call.tokens().model()).toArray(String[]::new))
                .addValue("promptTokens", calls.stream().map(call -> call.tokens().promptTokens()).toArray(Long[]::new))
                .addValue("completionTokens", calls.stream().map(call -> call.tokens().completionTokens())
                        .toArray(Long[]::new))
                .addValue("reportedUsd", calls.stream().map(call -> Double.isFinite(call.tokens().cost())
                        ? call.tokens().cost() : null).toArray(Double[]::new))
                // as text, so numeric keeps every digit the price table's arithmetic gave
                .addValue("costUsd", calls.stream().map(call -> call.priced().usd() == null ? null
                        : call.priced().usd().toPlainString()).toArray(String[]::new))
                .addValue("pricedBy", calls.stream().map(call -> call.priced().pricedBy()).toArray(String[]::new));
        Set<String> stored = new HashSet<>(jdbc.queryForList(SqlFiles.load("spend-call-insert"), params, String.class));
        return calls.stream().filter(call -> stored.contains(call.place().path())).toList();
    }

    List<Sum> sums(long taskId) {
        return jdbc.query(SqlFiles.load("spend-task-sums"), Map.of("taskId", taskId), (rs, i) -> new Sum(
                rs.getObject("loop", Integer.class), rs.getString("model"), rs.getString("priced_by"),
                rs.getLong("calls"), rs.getLong("prompt_tokens"), rs.getLong("completion_tokens"),
                rs.getBigDecimal("usd")));
    }

    void updateTask(long taskId, String cost, BigDecimal usd) {
        jdbc.update(SqlFiles.load("spend-task-update"), new MapSqlParameterSource()
                .addValue("taskId", taskId).addValue("cost", cost).addValue("usd", usd));
    }

    void updateLoop(long taskId, int loop, String cost) {
        jdbc.update(SqlFiles.load("spend-loop-update"), Map.of("taskId", taskId, "loop", loop, "cost", cost));
    }

    /** @param operator null: everyone's */
    BigDecimal spent(OffsetDateTime since, String operator) {
        return jdbc.queryForObject(SqlFiles.load("spend-spent"), new MapSqlParameterSource()
                .addValue("since", since).addValue("operator", operator), BigDecimal.class);
    }

    List<Group> report(GroupBy groupBy, OffsetDateTime since, OffsetDateTime until, String zone) {
        return jdbc.query(SqlFiles.load("spend-report"), new MapSqlParameterSource()
                .addValue("groupBy", groupBy.name().toLowerCase(java.util.Locale.ROOT)).addValue("since", since).addValue("until", until).addValue("zone", zone), (rs, i) -> new Group(
                rs.getString("key"), rs.getLong("calls"), rs.getLong("prompt_tokens"),
                rs.getLong("completion_tokens"), rs.getBigDecimal("usd"), rs.getLong("unpriced_calls")));
    }
}
