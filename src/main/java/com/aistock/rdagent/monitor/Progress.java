package com.aistock.rdagent.monitor;

import java.time.OffsetDateTime;

/** Where a run is in RD-Agent's loop, as its markers in run.log say. */
public record Progress(Integer loop, Integer loopsTotal, Integer step, String stepName, Double percent,
                       OffsetDateTime updatedAt) {
}
