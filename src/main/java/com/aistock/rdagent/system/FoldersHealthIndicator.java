package com.aistock.rdagent.system;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * Readiness: every folder the service writes to (base, history, inbox, outbox, work, data) is writable and has
 * {@code scheduler.health.min-free-space} left, each measured on its own disk ({@link FreeSpace}).
 */
@Component("foldersHealthIndicator")
public class FoldersHealthIndicator extends AbstractHealthIndicator {

    private final FreeSpace space;

    public FoldersHealthIndicator(FreeSpace space) {
        super("Folder check failed");
        this.space = space;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean up = true;
        for (FreeSpace.Folder folder : space.folders()) {
            up &= folder.ok();
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("path", folder.path().toString());
            detail.put("exists", folder.exists());
            detail.put("writable", folder.writable());
            detail.put("free", folder.free());
            detail.put("status", folder.ok() ? "UP" : "DOWN");
            builder.withDetail(folder.name(), detail);
        }
        builder.withDetail("threshold", space.threshold()).status(up ? "UP" : "DOWN");
    }
}
