package com.aistock.rdagent.support;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads /proc directly, to prove what is (not) running. */
public final class ProcessTable {

    private ProcessTable() {
    }

    /** Live (non-zombie) processes whose process group is {@code pgid}. */
    public static List<Long> groupMembers(long pgid) throws IOException {
        List<Long> members = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"),
                p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path process : processes) {
                String stat;
                try {
                    stat = Files.readString(process.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (!fields[0].equals("Z") && Long.parseLong(fields[2]) == pgid) {
                    members.add(Long.parseLong(process.getFileName().toString()));
                }
            }
        }
        return members;
    }

    /** Whether {@code pid} runs; a zombie (dead, not yet reaped by its new parent) does not count. */
    public static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException gone) {
            return false;
        }
    }
}
