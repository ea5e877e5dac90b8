package com.aistock.rdagent.monitor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import com.aistock.rdagent.run.RetConverter;
import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.RequiredTools;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The archive as users download it, confined to itself, and the equity curve built from ret.pkl. */
class ArtifactsAndReportTest extends IntegrationTest {

    private long taskId;
    private Path archive;

    @BeforeEach
    void finishedTask() {
        // the simulator writes ret.pkl when its python has pandas: Debian's, installed by .ci/run
        long id = Tasks.submit(api, "{\"name\": \"artifacts\", \"loop_n\": 2, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\", "
                + "\"PATH\": \"/usr/bin:/bin\"}}");
        JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofSeconds(90));
        taskId = id;
        archive = Path.of(task.path("archive_path").asText());
    }

    @Test
    void pathsOutsideTheArchiveAreRefused() throws IOException {
        Files.createSymbolicLink(archive.resolve("planted"), Path.of("/etc"));
        Files.createSymbolicLink(archive.resolve("results/passwd"), Path.of("/etc/passwd"));
        List<String> attempts = List.of(
                "../../../../../etc/passwd",
                "..%2F..%2F..%2F..%2Fetc%2Fpasswd",
                "%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
                "results/../../../../../etc/passwd",
                "..%5C..%5C..%5Cetc%5Cpasswd",
                "%2Fetc%2Fpasswd",
                "run.log%00.txt",
                "planted/passwd",
                "results/passwd",
                "./run.log",
                "results/%2e%2e/%2e%2e/%2e%2e/etc/passwd");
        for (String attempt : attempts) {
            Api.Response response = api.get("/api/rdagent/tasks/" + taskId + "/artifacts/" + attempt);
            assertThat(response.status()).as(attempt).isEqualTo(400);
            assertThat(response.body()).as(attempt).doesNotContain("root:");
        }
        Api.Response ok = api.get("/api/rdagent/tasks/" + taskId + "/artifacts/summary.json");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Disposition").orElse("")).contains("attachment").contains("summary.json");
        assertThat(ok.json().path("task_id").asLong()).isEqualTo(taskId);
    }

    @Test
    void theZipHoldsEveryArchivedFile() throws Exception {
        JsonNode listing = api.get("/api/rdagent/tasks/" + taskId + "/artifacts").json();
        List<String> listed = new ArrayList<>();
        listing.forEach(a -> listed.add(a.path("path").asText()));
        assertThat(listed).contains("summary.json", "run.log", "config/.env", "config/manifest.json");

        HttpResponse<byte[]> zip = api.client().send(api.request("/api/rdagent/tasks/" + taskId + "/artifacts.zip").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zip.statusCode()).isEqualTo(200);
        List<String> zipped = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                zipped.add(entry.getName());
            }
        }
        assertThat(zipped).containsExactlyInAnyOrderElementsOf(listed);
    }

    @Test
    void reportReturnsTheEquityCurveFromRetPkl() {
        RequiredTools.pythonModules("pandas");
        // loop 0's own experiment: a curve whatever RD-Agent decided about it
        JsonNode report = api.get("/api/rdagent/tasks/" + taskId + "/report?loop=0").json();

        assertThat(report.path("loop").asInt()).isZero();
        assertThat(report.path("total_points").asInt()).isGreaterThan(100);
        JsonNode points = report.path("points");
        assertThat(points.size()).isEqualTo(report.path("total_points").asInt()).isLessThanOrEqualTo(2000);
        JsonNode first = points.get(0);
        assertThat(first.path("date").asText()).matches("\\d{4}-\\d{2}-\\d{2}.*");
        assertThat(first.path("account").isNumber()).isTrue();
        assertThat(first.path("bench").isNumber()).isTrue();
        assertThat(points.get(points.size() - 1).path("excess").isNumber()).isTrue();
        assertThat(archive.resolve("results").toFile().list()).contains("loop00_factor_ret.csv", "loop00_baseline_ret.csv");
    }

    @Test
    void aFailedConversionIsAWarningNotAFailure(@org.junit.jupiter.api.io.TempDir Path folder) throws Exception {
        Path python = folder.resolve("python-without-pandas");
        Files.writeString(python, "#!/bin/sh\necho \"ModuleNotFoundError: No module named 'pandas'\" >&2\nexit 1\n");
        python.toFile().setExecutable(true);
        Path experiment = Files.createDirectories(folder.resolve("ws/abc"));
        Files.writeString(experiment.resolve("ret.pkl"), "not really a pickle");
        var report = new com.aistock.rdagent.run.RunReport(1, 1, false, null, com.aistock.rdagent.task.TaskStatus.SUCCEEDED, 0,
                null, null, List.of(new com.aistock.rdagent.run.Experiment("abc", experiment, 0, "factor",
                java.util.Map.of("IC", 0.1), List.of(), java.time.Instant.now(), false)), null, new ArrayList<>(), null);

        RetConverter converter = new RetConverter(new com.aistock.rdagent.system.SchedulerProperties(folder.toString(), null, null,
                null, null, null, null, null, null,
                new com.aistock.rdagent.system.SchedulerProperties.RdAgent(null, "rdagent", python.toString(), null)));
        report = converter.convert(report);

        assertThat(report.status()).isEqualTo(com.aistock.rdagent.task.TaskStatus.SUCCEEDED);
        assertThat(report.warnings()).singleElement().asString()
                .contains("no equity curve for abc").contains("No module named 'pandas'");
        assertThat(experiment.resolve("ret.csv")).doesNotExist();
    }
}
