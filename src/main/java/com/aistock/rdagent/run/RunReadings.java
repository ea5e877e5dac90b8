package com.aistock.rdagent.run;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * The one {@link RunReading} of each run on this node: the live view advances it, the end of the run finishes it,
 * so what a user watched is what gets archived.
 */
@Component
public class RunReadings {

    private final Map<Long, RunReading> readings = new ConcurrentHashMap<>();

    public RunReading of(long taskId, Workspace workspace) {
        return readings.compute(taskId, (id, reading) ->
                reading != null && reading.workspace().equals(workspace) ? reading : new RunReading(workspace));
    }

    void forget(long taskId) {
        readings.remove(taskId);
    }
}
