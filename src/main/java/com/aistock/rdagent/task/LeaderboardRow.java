package com.aistock.rdagent.task;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** One line of the leaderboard's CSV: the task's identity, times and the metrics of its sota and best results. */
public record LeaderboardRow(long id, String name, TaskStatus status, String scenario, Long datasetId,
                             OffsetDateTime createdAt, OffsetDateTime finishedAt, Double durationSeconds,
                             Map<String, Double> metrics, List<String> tags, boolean starred, String note) {
}
