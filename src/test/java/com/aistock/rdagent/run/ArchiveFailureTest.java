package com.aistock.rdagent.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.stream.Stream;

import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An archive that cannot be written changes nothing about how the run ended (status, exit code, metrics) and leaves
 * no half folder in the outbox; the task says it is not archived. (A full disk under the outbox: see DiskFullIT.)
 */
class ArchiveFailureTest extends IntegrationTest {

    @Test
    void aRunWhoseArchiveCannotBeWrittenKeepsItsOutcome() throws IOException {
        Path outbox = base().resolve("outbox");
        Path day = outbox.resolve(LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE));
        Path aside = outbox.resolve("aside-" + day.getFileName());
        boolean existed = Files.isDirectory(day);
        if (existed) {
            Files.move(day, aside);
        }
        Files.createDirectories(outbox);
        // today's folder of the outbox is a file: no archive can be written under it
        Files.writeString(day, "not a folder");
        JsonNode task;
        try {
            long id = Tasks.submit(api, "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
            task = Tasks.awaitFinished(api, id, Duration.ofSeconds(90));
        } finally {
            Files.delete(day);
            if (existed) {
                Files.move(aside, day);
            }
        }

        assertThat(task.path("status").asText()).as(task.toPrettyString()).isEqualTo("SUCCEEDED");
        assertThat(task.path("exit_code").asInt()).isZero();
        assertThat(task.path("error").isNull()).isTrue();
        assertThat(task.path("metrics").path("last").path("values").path("ic").isNumber()).isTrue();
        assertThat(task.path("archive_path").isNull()).isTrue();
        assertThat(task.path("warnings").toString()).contains("not archived: ");
        assertThat(Path.of(task.path("workspace_path").asText()).resolve("run.log")).as("results stay in the workspace").exists();
        try (Stream<Path> files = Files.walk(outbox)) {
            assertThat(files.map(Path::toString)).as("no half archive").noneMatch(path -> path.endsWith(".partial"));
        }
    }
}
