package com.aistock.rdagent.spend;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code scheduler.llm.*}; defaults in application.yml.
 *
 * @param prices       USD per million tokens by model; the API's entries (the console's price table) win over these
 * @param cnyRate      CNY per USD, for the console's second currency
 * @param watchInterval how often each running task's trace folder is read for new {@code token_cost} records
 * @param quota        spending limits; a user's or token's own limits are set through the API
 */
@ConfigurationProperties("scheduler.llm")
public record LlmProperties(Map<String, Price> prices, BigDecimal cnyRate, Duration watchInterval, Quota quota) {

    public LlmProperties {
        prices = prices == null ? Map.of() : Map.copyOf(prices);
    }

    /** @param override price every call of the model with this, even those LiteLLM priced */
    public record Price(BigDecimal prompt, BigDecimal completion, boolean override) {
    }

    /**
     * @param dailyUsd       the whole installation's limit per day (unset: none); the API's {@code *} entry wins
     * @param monthlyUsd     the same per calendar month
     * @param userDailyUsd   each user's or token's limit per day unless the API set its own
     * @param userMonthlyUsd the same per calendar month
     * @param timeZone       where days and months begin
     * @param onExceeded     what running tasks do when the installation's limit is reached
     */
    public record Quota(BigDecimal dailyUsd, BigDecimal monthlyUsd, BigDecimal userDailyUsd, BigDecimal userMonthlyUsd,
                        ZoneId timeZone, OnExceeded onExceeded) {
    }

    public enum OnExceeded { STOP, FINISH }
}
