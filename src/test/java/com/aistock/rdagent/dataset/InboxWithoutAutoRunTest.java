package com.aistock.rdagent.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.aistock.rdagent.support.IntegrationTest;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scheduler.inbox.auto-run=false}: a dropped stock pool becomes a dataset and nothing else. A service of its
 * own (folders, database), closed once done.
 */
@TestPropertySource(properties = {
        IntegrationTest.OWN_SCHEDULER + "inbox-without-auto-run",
        "scheduler.worker.enabled=false",
        "scheduler.inbox.auto-run=false",
        "scheduler.inbox.poll-interval=100",
        "scheduler.inbox.read-lock-min-age=1s",
        "scheduler.inbox.read-lock-check-interval=100"})
@DirtiesContext
class InboxWithoutAutoRunTest extends IntegrationTest {

    static final Path MANUAL_BASE = Path.of(base() + "-inbox-manual");

    @Autowired
    private CamelContext camelContext;

    @DynamicPropertySource
    static void folders(DynamicPropertyRegistry registry) {
        for (String folder : new String[]{"history", "inbox", "outbox", "work", "data"}) {
            registry.add("scheduler." + folder + "-dir", () -> MANUAL_BASE.resolve(folder).toString());
        }
    }

    @Test
    void aDroppedPoolBecomesADatasetButNoTask() throws IOException {
        NotifyBuilder imported = new NotifyBuilder(camelContext).fromRoute("inbox").whenCompleted(1).create();

        Files.writeString(MANUAL_BASE.resolve("inbox/manual_pool.txt"), "SH600000\nSZ000001\n");

        assertThat(imported.matches(30, TimeUnit.SECONDS)).as("the file was imported").isTrue();
        assertThat(api.get("/api/rdagent/datasets").json().findValuesAsText("name")).contains("manual_pool");
        assertThat(api.get("/api/rdagent/tasks").json().path("total").asLong()).as("tasks on this service").isZero();
        assertThat(MANUAL_BASE.resolve("inbox/manual_pool.txt")).doesNotExist();
    }
}
