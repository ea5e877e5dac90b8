package com.aistock.rdagent.dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code scheduler.datasets.unknown-symbols=reject}: a pool naming symbols the Qlib data does not hold is refused
 * whole, by upload (422 with the lines) and from the inbox (.error/ with the lines). Its own service and folders.
 */
@TestPropertySource(properties = {
        IntegrationTest.OWN_SCHEDULER + "unknown-symbols-rejected",
        "scheduler.datasets.unknown-symbols=reject",
        "scheduler.worker.enabled=false",
        "scheduler.inbox.poll-interval=100",
        "scheduler.inbox.read-lock-min-age=1s",
        "scheduler.inbox.read-lock-check-interval=100"})
class UnknownSymbolsRejectedTest extends IntegrationTest {

    private static final Path REJECT_BASE = Path.of(base() + "-reject");
    private static final String POOL = "SH600000\nSH688999\t2016-01-04\t2020-12-31\n# a comment\nsz300999\nSZ000001\n";

    @DynamicPropertySource
    static void folders(DynamicPropertyRegistry registry) {
        for (String folder : new String[]{"history", "inbox", "outbox", "work", "data"}) {
            registry.add("scheduler." + folder + "-dir", () -> REJECT_BASE.resolve(folder).toString());
        }
    }

    @Test
    void anUploadWithTwoUnknownSymbolsIsRefusedNamingBoth() {
        Api.Response response = Datasets.uploadText(api, "strict pool", POOL.getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).as(response.body()).isEqualTo(422);
        assertThat(response.json().path("field").asText()).isEqualTo("file");
        assertThat(response.json().path("lines").findValuesAsText("line")).containsExactly("2", "4");
        String all = REJECT_BASE.resolve("data/demo-qlib/cn_data/instruments/all.txt").toString();
        assertThat(response.json().path("lines").findValuesAsText("message")).containsExactly(
                "SH688999 is not in the Qlib data (" + all + ")", "SZ300999 is not in the Qlib data (" + all + ")");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM rdagent_dataset_pool WHERE name = 'strict pool'", Long.class)).isZero();

        Api.Response known = Datasets.uploadText(api, "strict pool", "sh600000\nSZ000001\n".getBytes(StandardCharsets.UTF_8));
        assertThat(known.status()).as(known.body()).isEqualTo(201);
        assertThat(known.json().path("warnings")).isEmpty();
    }

    @Test
    void anInboxFileWithTwoUnknownSymbolsGoesToErrorNamingBoth() throws IOException {
        Path inbox = REJECT_BASE.resolve("inbox");
        Files.createDirectories(inbox);
        Files.writeString(inbox.resolve("strict.txt"), POOL);

        Path reason = inbox.resolve(".error/strict.txt.error.txt");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(reason) && !Files.exists(inbox.resolve("strict.txt")));

        assertThat(inbox.resolve(".error/strict.txt")).hasContent(POOL.strip());
        assertThat(reason).content().contains("error: unprocessable")
                .contains("line 2: SH688999 is not in the Qlib data").contains("line 4: SZ300999 is not in the Qlib data");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM rdagent_dataset_pool WHERE name = 'strict'", Long.class)).isZero();
    }
}
