package com.aistock.rdagent.run;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Signals to a whole process group, and whether any member is left. RD-Agent's Python workers, shells and
 * qrun children share the group that {@code setsid} gave the run, so this reaches every one of them.
 */
public final class ProcessGroups {

    private static final Path PROC = Path.of("/proc");

    private ProcessGroups() {
    }

    /** {@code kill -s SIGNAL -- -PGID}; only numbers reach the command line. */
    public static void signal(long pgid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, "--", "-" + pgid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a live (non-zombie) process of the group remains, read from /proc. */
    public static boolean alive(long pgid) {
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path process : processes) {
                String stat;
                try {
                    stat = Files.readString(process.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (!fields[0].equals("Z") && Long.parseLong(fields[2]) == pgid) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read /proc", e);
        }
    }

    /**
     * Stops a run whose group {@code leader} leads: RD-Agent finishes its step on the first SIGINT and aborts on the
     * second; SIGKILL of the whole group is the last resort. Returns once the leader is gone.
     */
    public static void stop(ProcessHandle leader, Duration secondInterruptAfter, Duration stopGrace)
            throws InterruptedException {
        long pgid = leader.pid();
        signal(pgid, "INT");
        if (exited(leader, secondInterruptAfter.toMillis())) {
            return;
        }
        signal(pgid, "INT");
        if (exited(leader, stopGrace.toMillis())) {
            return;
        }
        signal(pgid, "KILL");
        leader.onExit().join();
    }

    /** Whether the process ended within {@code millis}. */
    public static boolean exited(ProcessHandle process, long millis) throws InterruptedException {
        try {
            process.onExit().get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        }
    }

    /**
     * SIGKILL to whatever is left of the group led by {@code pgid} (started at {@code leaderStarted}, clock ticks),
     * until nothing is. A group number is free for reuse once all its members are gone, and pids wrap around on a
     * busy machine: when another process now has that pid, the run's group is gone and nothing is signalled.
     */
    public static void killRemaining(long pgid, long leaderStarted, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!reused(pgid, leaderStarted) && alive(pgid)) {
            signal(pgid, "KILL");
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Process group " + pgid + " survived SIGKILL");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean reused(long pgid, long leaderStarted) {
        OptionalLong started = ProcessStart.of(pgid);
        return started.isPresent() && started.getAsLong() != leaderStarted;
    }
}
