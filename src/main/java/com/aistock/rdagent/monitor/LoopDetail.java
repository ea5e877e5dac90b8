package com.aistock.rdagent.monitor;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One loop as a researcher reads it: what RD-Agent tried and why, the tasks it proposed and the code it evolved
 * for each, its experiments (metrics, curve, files), and its feedback and decision.
 *
 * @param codes       per proposed task, the files of RD-Agent's last evolving round ({@code task, evo_id, files})
 * @param experiments the loop's experiment workspaces, each with its {@code files} and, when it has no curve,
 *                    {@code curve_missing}
 * @param feedback    {@code observations, hypothesis_evaluation, new_hypothesis, reason, exception}
 */
public record LoopDetail(int loop, String hypothesis, String reason, JsonNode tasks, JsonNode codes, JsonNode metrics,
                         Boolean decision, String decisionReason, JsonNode feedback, JsonNode experiments,
                         OffsetDateTime startedAt, OffsetDateTime updatedAt) {
}
