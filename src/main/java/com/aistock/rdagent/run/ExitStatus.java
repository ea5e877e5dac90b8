package com.aistock.rdagent.run;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * How RD-Agent ended, as the launcher wrote it to {@code exit.json} in the workspace: the exit code (128 + N when
 * signal N ended it), the end time, and whether the launcher stopped the run because its lease was not renewed.
 *
 * @param pid the launcher's pid, which is the run's process group: it names the attempt the file belongs to
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExitStatus(int exitCode, Integer signal, boolean fenced, long pid, OffsetDateTime endedAt) {
}
