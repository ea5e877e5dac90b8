package com.aistock.rdagent.config;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The five templates exactly as one task runs them, addressed by content.
 *
 * @param manifest   file → the version it runs
 * @param configHash one hash over the manifest: equal hashes ran equal templates
 */
public record TemplateSnapshot(Map<String, Entry> manifest, String configHash) {

    /**
     * @param sha256       of the content the task runs (after dataset and hyper-parameter edits)
     * @param sourceSha256 of the version it was taken from
     * @param historyId    the version named in {@code source_history_ids}, or null for the live file
     * @param versionId    the version it was taken from, named or live (absent in tasks from before versions)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Entry(String sha256, String sourceSha256, Long historyId, Long versionId) {
    }
}
