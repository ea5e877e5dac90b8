package com.aistock.rdagent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.Hashes;
import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Service;

/**
 * Takes a task's template snapshot at submit time (live files or chosen history versions, plus the task's own
 * edits) and lays it out again in the task's workspace when it runs.
 */
@Service
public class TemplateSnapshots {

    private final TemplateBlobStore blobs;
    private final ConfigHistory history;
    private final ConfigStore store;

    public TemplateSnapshots(TemplateBlobStore blobs, ConfigHistory history, ConfigStore store) {
        this.blobs = blobs;
        this.history = history;
        this.store = store;
    }

    /**
     * @param historyIds template versions to use instead of the live files (at most one per file)
     * @param edits      key → literal value, applied to every template that has the key
     */
    public TemplateSnapshot take(List<Long> historyIds, Map<String, String> edits) {
        Map<String, HistoryVersion> versions = historyVersions(historyIds);
        Map<String, TemplateSnapshot.Entry> manifest = new LinkedHashMap<>();
        for (String file : RdAgentFiles.TEMPLATES) {
            HistoryVersion version = versions.get(file);
            byte[] source = version == null ? store.read(ManagedFile.templateOrPrompt(file)).content() : version.content();
            String content = new String(source, StandardCharsets.UTF_8);
            for (Map.Entry<String, String> edit : edits.entrySet()) {
                content = TemplateEdits.setScalar(content, edit.getKey(), edit.getValue());
            }
            byte[] snapshot = content.getBytes(StandardCharsets.UTF_8);
            String sha256 = Hashes.sha256(snapshot);
            blobs.save(sha256, snapshot);
            manifest.put(file, new TemplateSnapshot.Entry(sha256, Hashes.sha256(source),
                    version == null ? null : version.id()));
        }
        return new TemplateSnapshot(manifest, configHash(manifest));
    }

    /** Writes each template of a stored manifest into {@code folder}; returns file → written path. */
    public Map<String, Path> materialize(JsonNode manifest, Path folder) throws IOException {
        Files.createDirectories(folder);
        Map<String, Path> written = new LinkedHashMap<>();
        for (String file : RdAgentFiles.TEMPLATES) {
            Path target = folder.resolve(RdAgentFiles.fileName(file));
            Files.write(target, blobs.load(manifest.path(file).path("sha256").asText()));
            written.put(file, target);
        }
        return written;
    }

    private static String configHash(Map<String, TemplateSnapshot.Entry> manifest) {
        StringBuilder canonical = new StringBuilder();
        new TreeMap<>(manifest).forEach((file, entry) -> canonical.append(file).append('=').append(entry.sha256()).append('\n'));
        return Hashes.sha256(canonical.toString().getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, HistoryVersion> historyVersions(List<Long> historyIds) {
        Map<String, HistoryVersion> versions = new LinkedHashMap<>();
        if (historyIds == null) {
            return versions;
        }
        for (long id : historyIds) {
            HistoryEntry entry = history.find(HistoryTable.TEMPLATE, id)
                    .filter(found -> RdAgentFiles.TEMPLATES.contains(found.file()))
                    .orElseThrow(() -> ApiException.validation("source_history_ids", "no template history version " + id));
            if (versions.containsKey(entry.file())) {
                throw ApiException.validation("source_history_ids", "two versions given for " + entry.file());
            }
            byte[] content = store.content(entry).orElseThrow(() ->
                    ApiException.validation("source_history_ids", "history version " + id + " has no backup file"));
            versions.put(entry.file(), new HistoryVersion(id, content));
        }
        return versions;
    }

    private record HistoryVersion(long id, byte[] content) {
    }
}
