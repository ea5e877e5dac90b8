package com.aistock.rdagent.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * The free space of every folder the service writes to (base, history, inbox, outbox, work, data) against
 * {@code scheduler.health.min-free-space}. They may sit on different disks (outbox on shared storage), so each is
 * checked on its own; a folder not created yet is judged by the nearest one above it that exists. Readiness reports
 * it, and a worker claims nothing while a folder is short of space.
 */
@Component
public class FreeSpace {

    /** "No space left on device", as the OS words ENOSPC. */
    public static final String NO_SPACE = "No space left on device";

    private final Map<String, Path> folders = new LinkedHashMap<>();
    private final DataSize minFree;

    public FreeSpace(SchedulerProperties properties, @Value("${scheduler.health.min-free-space}") DataSize minFree) {
        this.minFree = minFree;
        folders.put("base", properties.base());
        folders.put("history", properties.history());
        folders.put("inbox", properties.inbox());
        folders.put("outbox", properties.outbox());
        folders.put("work", properties.work());
        folders.put("data", properties.data());
    }

    /**
     * @param name     base, history, inbox, outbox, work or data
     * @param exists   the folder itself exists (else the one above it was measured)
     * @param writable the folder, or the nearest one above it, can be written
     * @param free     bytes this process may still write there
     */
    public record Folder(String name, Path path, boolean exists, boolean writable, long free, boolean enoughSpace) {

        public boolean ok() {
            return writable && enoughSpace;
        }

        public String describe() {
            return name + " (" + path + ") has " + size(free) + " free";
        }
    }

    public List<Folder> folders() {
        List<Folder> result = new ArrayList<>();
        folders.forEach((name, path) -> result.add(measure(name, path)));
        return result;
    }

    /** The first folder with less than {@code min-free-space} free, if any. */
    public Optional<Folder> shortOfSpace() {
        return folders().stream().filter(folder -> !folder.enoughSpace()).findFirst();
    }

    /** The disk holding {@code path}, measured like the service's folders. */
    public Folder at(Path path) {
        return measure(path.getFileName() == null ? path.toString() : path.getFileName().toString(), path);
    }

    /** {@code min-free-space} in bytes. */
    public long threshold() {
        return minFree.toBytes();
    }

    /** The threshold as people read it, e.g. "1024 MiB". */
    public String minFree() {
        return size(minFree.toBytes());
    }

    static String size(long bytes) {
        return bytes >= 1 << 20 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }

    private Folder measure(String name, Path path) {
        Path existing = nearestExisting(path);
        long free;
        try {
            free = existing == null ? 0 : Files.getFileStore(existing).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot measure the free space of " + path, e);
        }
        boolean writable = existing != null && Files.isWritable(existing);
        return new Folder(name, path, Files.isDirectory(path), writable, free, free >= minFree.toBytes());
    }

    private static Path nearestExisting(Path folder) {
        for (Path p = folder; p != null; p = p.getParent()) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }
}
