package com.aistock.rdagent.config;

import java.util.List;

/**
 * The templates a task ran, per file, against the files as they are now.
 *
 * @param live whether every file still holds the version the task ran from
 */
public record TaskConfig(List<FileConfig> files, boolean live) {

    /**
     * @param sha256        of the content the task ran (its snapshot, with the task's dataset and model edits)
     * @param sourceSha256  of the version it was taken from
     * @param version       that version; null when no version with its content is known
     * @param edited        whether the task changed values of that version (a dataset's market, say)
     * @param current       the version the file holds now
     * @param changed       whether the file now differs from that version
     * @param diff          unified diff from that version to the current file; empty when unchanged or unknown
     */
    public record FileConfig(String file, String name, String sha256, String sourceSha256, ConfigVersion version,
                             boolean edited, String currentSha256, ConfigVersion current, boolean changed,
                             String diff) {
    }
}
