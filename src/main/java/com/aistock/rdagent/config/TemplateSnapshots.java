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
    private final ConfigVersions versions;
    private final ConfigStore store;

    public TemplateSnapshots(TemplateBlobStore blobs, ConfigVersions versions, ConfigStore store) {
        this.blobs = blobs;
        this.versions = versions;
        this.store = store;
    }

    /**
     * A live file is reconciled with its history first, so the version recorded is the content taken.
     *
     * @param historyIds template versions to use instead of the live files (at most one per file)
     * @param edits      key → literal value, applied to every template that has the key
     */
    public TemplateSnapshot take(List<Long> historyIds, Map<String, String> edits) {
        Map<String, Source> named = namedVersions(historyIds);
        Map<String, TemplateSnapshot.Entry> manifest = new LinkedHashMap<>();
        for (String file : RdAgentFiles.TEMPLATES) {
            Source version = named.containsKey(file) ? named.get(file) : live(ManagedFile.templateOrPrompt(file));
            byte[] source = version.content();
            String content = new String(source, StandardCharsets.UTF_8);
            for (Map.Entry<String, String> edit : edits.entrySet()) {
                content = TemplateEdits.setScalar(content, edit.getKey(), edit.getValue());
            }
            byte[] snapshot = content.getBytes(StandardCharsets.UTF_8);
            String sha256 = Hashes.sha256(snapshot);
            blobs.save(sha256, snapshot);
            manifest.put(file, new TemplateSnapshot.Entry(sha256, Hashes.sha256(source),
                    named.containsKey(file) ? version.id() : null, version.id()));
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

    private Source live(ManagedFile file) {
        ConfigStore.Live live = store.observe(file);
        return new Source(live.version() == null ? null : live.version().id(), live.current().content());
    }

    private Map<String, Source> namedVersions(List<Long> historyIds) {
        Map<String, Source> named = new LinkedHashMap<>();
        if (historyIds == null) {
            return named;
        }
        for (long id : historyIds) {
            ConfigVersion version = versions.find(HistoryTable.TEMPLATE, id)
                    .filter(found -> RdAgentFiles.TEMPLATES.contains(found.file()))
                    .orElseThrow(() -> ApiException.validation("source_history_ids", "no template history version " + id));
            if (named.containsKey(version.file())) {
                throw ApiException.validation("source_history_ids", "two versions given for " + version.file());
            }
            byte[] content = store.content(version).orElseThrow(() ->
                    ApiException.validation("source_history_ids", "history version " + id + " has no saved content"));
            named.put(version.file(), new Source(id, content));
        }
        return named;
    }

    /** @param id the version, null for a live file the history does not know (a missing file) */
    private record Source(Long id, byte[] content) {
    }
}
