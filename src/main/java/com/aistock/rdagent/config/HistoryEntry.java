package com.aistock.rdagent.config;

import java.time.OffsetDateTime;

/**
 * One saved version of a managed file (SPEC 7.1): the content a file had before a change replaced it.
 *
 * @param historyPath relative to the history folder, e.g. {@code 20261125/20261125T130000123_manual_conf_baseline.yaml}
 * @param sha256      of the saved content
 * @param action      what replaced it: {@code write}, {@code rollback}, or {@code backup} (a change noticed on disk)
 */
public record HistoryEntry(long id, String file, String historyPath, String sha256, String operator, String note,
                           Long taskId, String action, OffsetDateTime createdAt) {
}
