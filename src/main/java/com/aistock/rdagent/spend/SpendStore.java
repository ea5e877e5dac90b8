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
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Repository;

/** The {@code rdagent_llm_call} table and the sums made of it. Every statement is a named SQL file. */
@Repository
public class SpendStore {

    /** A call as stored: where it was recorded, what it used, what it cost and who priced it. */
    record Call(long taskId, int attempt, TraceRecords.Place place, TokenCost tokens, PriceTable.Priced priced,
                String operator) {
    }

    /** One group of a task's calls: a loop (null: outside any loop), a model and who priced them. */
    record Sum(Integer loop, String model, String pricedBy, long calls, long promptTokens, long completionTokens,
               BigDecimal usd) {
    }

    /** A group of a spend report (a day, a model or a user). */
    public record Group(String key, long calls, long promptTokens, long completionTokens, BigDecimal usd,
                        long unpricedCalls) {
    }

    /** How a spend report groups: each a fixed SQL file. */
    public enum GroupBy {
        DAY("spend-by-day"), MODEL("spend-by-model"), USER("spend-by-user");

        final String sql;

        GroupBy(String sql) {
            this.sql = sql;
        }
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
    List<Call> insert(List<Call> calls) {
        SqlParameterSource[] rows = calls.stream().map(call -> new MapSqlParameterSource()
                .addValue("taskId", call.taskId())
                .addValue("attempt", call.attempt())
                .addValue("path", call.place().path())
                .addValue("loop", call.place().loop())
                .addValue("step", call.place().step())
                .addValue("model", call.tokens().model())
                .addValue("promptTokens", call.tokens().promptTokens())
                .addValue("completionTokens", call.tokens().completionTokens())
                .addValue("reportedUsd", Double.isFinite(call.tokens().cost()) ? call.tokens().cost() : null)
                .addValue("costUsd", call.priced().usd())
                .addValue("pricedBy", call.priced().pricedBy())
                .addValue("operator", call.operator())).toArray(SqlParameterSource[]::new);
        int[] counts = jdbc.batchUpdate(SqlFiles.load("spend-call-insert"), rows);
        return java.util.stream.IntStream.range(0, counts.length).filter(i -> counts[i] != 0)
                .mapToObj(calls::get).toList();
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
        return jdbc.query(SqlFiles.load(groupBy.sql), new MapSqlParameterSource()
                .addValue("since", since).addValue("until", until).addValue("zone", zone), (rs, i) -> new Group(
                rs.getString("key"), rs.getLong("calls"), rs.getLong("prompt_tokens"),
                rs.getLong("completion_tokens"), rs.getBigDecimal("usd"), rs.getLong("unpriced_calls")));
    }
}
