package com.aistock.rdagent.config;

import java.time.OffsetDateTime;

/**
 * One version of a managed file: a content and how it came to be. The note, operator, task and time are those of
 * the change that produced this content, never of the one that replaced it.
 *
 * @param name        the file's history name, path-qualified where file names repeat (the prompt files)
 * @param sha256      of the content; null only for the newest version of a file migrated from the old history,
 *                    until the service reads the live file
 * @param historyPath its copy in the history folder, relative to it, made when something replaced it (a prompt
 *                    file's as soon as it was seen); null for the current version
 * @param replacedAt  when the next version replaced it; null for the current version (and legacy ones)
 * @param replacedBy  the id of that next version
 * @param sourcePath  for a legacy version: the RD-Agent backup it was imported from, relative to RDAGENT_HOME
 * @param current     whether the file holds this version now
 */
public record ConfigVersion(long id, String file, String name, String sha256, VersionKind kind, String operator,
                            String note, Long taskId, OffsetDateTime createdAt, String historyPath,
                            OffsetDateTime replacedAt, Long replacedBy, String sourcePath, boolean current) {
}
