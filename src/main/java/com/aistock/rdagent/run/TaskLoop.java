package com.aistock.rdagent.run;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One RD-Agent loop of a task: what it tried, what it measured, whether it was kept.
 *
 * @param metrics     the metrics of the loop's own experiment
 * @param experiments its experiment workspaces ({@code name, kind, metrics, non_finite, finished_at, curve}); loop
 *                    0 may also hold RD-Agent's baseline
 * @param cost        the loop's LLM spend ({@code usd, calls, prompt_tokens, completion_tokens, by_model}), or null
 */
public record TaskLoop(int loop, String hypothesis, String reason, JsonNode tasks, JsonNode metrics, Boolean decision,
                       String decisionReason, JsonNode experiments, OffsetDateTime startedAt,
                       OffsetDateTime updatedAt, JsonNode cost) {
}
