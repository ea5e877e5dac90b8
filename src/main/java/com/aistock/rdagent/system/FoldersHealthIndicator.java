package com.aistock.rdagent.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * Readiness: every folder the service writes to (base, history, inbox, outbox, work, data) is writable and has
 * {@code scheduler.health.min-free-space} left. They may sit on different disks (outbox on shared storage), so
 * each is checked on its own; a folder not created yet is judged by the nearest one above it that exists.
 */
@Component("foldersHealthIndicator")
public class FoldersHealthIndicator extends AbstractHealthIndicator {

    private final Map<String, Path> folders = new LinkedHashMap<>();
    private final DataSize minFree;

    public FoldersHealthIndicator(SchedulerProperties properties,
                                  @Value("${scheduler.health.min-free-space}") DataSize minFree) {
        super("Folder check failed");
        this.minFree = minFree;
        folders.put("base", properties.base());
        folders.put("history", properties.history());
        folders.put("inbox", properties.inbox());
        folders.put("outbox", properties.outbox());
        folders.put("work", properties.work());
        folders.put("data", properties.data());
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws IOException {
        boolean up = true;
        for (Map.Entry<String, Path> folder : folders.entrySet()) {
            Path existing = nearestExisting(folder.getValue());
            long free = existing == null ? 0 : Files.getFileStore(existing).getUsableSpace();
            boolean writable = existing != null && Files.isWritable(existing);
            boolean ok = writable && free >= minFree.toBytes();
            up &= ok;
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("path", folder.getValue().toString());
            detail.put("exists", Files.isDirectory(folder.getValue()));
            detail.put("writable", writable);
            detail.put("free", free);
            detail.put("status", ok ? "UP" : "DOWN");
            builder.withDetail(folder.getKey(), detail);
        }
        builder.withDetail("threshold", minFree.toBytes()).status(up ? "UP" : "DOWN");
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
