package com.aistock.rdagent.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A process's start time in clock ticks since boot ({@code /proc/<pid>/stat}, field 22): with the pid it names
 * one process for good, so a recycled pid is never mistaken for a run.
 */
public final class ProcessStart {

    private ProcessStart() {
    }

    public static OptionalLong of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (fields[0].equals("Z")) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Long.parseLong(fields[19]));
        } catch (IOException | RuntimeException gone) {
            return OptionalLong.empty();
        }
    }

    /** Whether the very process that was started (same pid, same start time) still runs. */
    public static boolean alive(long pid, long started) {
        OptionalLong now = of(pid);
        return now.isPresent() && now.getAsLong() == started;
    }
}
