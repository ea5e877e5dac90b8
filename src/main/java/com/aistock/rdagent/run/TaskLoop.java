package com.aistock.rdagent.run;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.databind.JsonNode;

/** One RD-Agent loop of a task: what it tried, what it measured, whether it was kept. */
public record TaskLoop(int loop, String hypothesis, String reason, JsonNode tasks, JsonNode metrics, Boolean decision,
                       String decisionReason, OffsetDateTime startedAt) {
}
