package com.aistock.rdagent.spend;

/**
 * One LLM call as RD-Agent's LiteLLM backend logs it ({@code tag="token_cost"}).
 *
 * @param cost            LiteLLM's price of the call in USD; NaN when it has none for the model
 * @param accumulatedCost the process's running total: restarts at 0 when a run is resumed, so never summed
 */
public record TokenCost(String model, long promptTokens, long completionTokens, double cost, double accumulatedCost) {
}
