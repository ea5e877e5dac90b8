package com.aistock.rdagent.monitor;

import java.util.List;

/** The equity curve of a task's best experiment, downsampled for charts. */
public record Report(long taskId, String experiment, int totalPoints, List<EquityPoint> points, List<String> warnings) {
}
