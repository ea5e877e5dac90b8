package com.aistock.rdagent.monitor;

import java.util.List;

/**
 * The equity curve of one experiment, downsampled for charts.
 *
 * @param loop       the loop it belongs to
 * @param experiment its workspace; null when no experiment was chosen
 * @param reason     why there are no points, in words a researcher can act on; null when there are
 */
public record Report(long taskId, Integer loop, String experiment, int totalPoints, List<EquityPoint> points,
                     List<String> warnings, String reason) {
}
