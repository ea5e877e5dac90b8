package com.aistock.rdagent.run;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.NodeProcess;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node short of disk space claims nothing: its queued tasks stay PENDING (none FAILED) and run once there is space
 * again. A run that fills the disk fails saying "No space left on device", and a full outbox loses neither the
 * run's exit code nor leaves half an archive behind.
 */
// two starts of the packaged jar (each up to minutes on a busy machine) and several runs: longer than the suite's
// default
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class DiskFullIT {

    private static final Path ROOT = Path.of("target", "disk-full-it").toAbsolutePath();
    private static final List<String> SETTINGS = List.of("--scheduler.worker.max-concurrent-runs=2",
            "--scheduler.worker.poll-interval=200ms", "--scheduler.run.heartbeat-interval=1s",
            "--scheduler.health.failure-log-interval=5s");
    private static final String QUICK = "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}";

    private final List<NodeProcess> nodes = new ArrayList<>();
    private Path mounted;

    @AfterEach
    void stopAll() throws Exception {
        NodeProcess.stopAll(nodes);
        if (mounted != null) {
            run("umount", mounted.toString());
        }
    }

    @Test
    void aNodeBelowMinFreeSpaceClaimsNothingUntilTheSettingAllowsIt() throws Exception {
        Path base = ROOT.resolve(UUID.randomUUID().toString());
        NodeProcess tight = node(base, "--scheduler.health.min-free-space=1000TB").start();
        List<Long> ids = List.of(Tasks.submit(tight.api(), QUICK), Tasks.submit(tight.api(), QUICK));

        await().atMost(Duration.ofSeconds(30)).until(() -> tight.log().contains("Not claiming tasks: base"));
        assertStayPending(tight.api(), ids);
        Api.Response readiness = Api.anonymous(tight.api().uri("/").getPort()).get("/actuator/health/readiness");
        assertThat(readiness.status()).isEqualTo(503);
        assertThat(readiness.json().at("/components/folders/status").asText()).isEqualTo("DOWN");
        tight.stop();

        NodeProcess roomy = node(base, "--scheduler.health.min-free-space=1MB").start();
        for (long id : ids) {
            assertThat(Tasks.awaitFinished(roomy.api(), id, Duration.ofSeconds(90)).path("status").asText()).isEqualTo("SUCCEEDED");
        }
    }

    /** work/ and outbox/ on a small tmpfs (mounting one needs root; elsewhere this is skipped). */
    @Test
    void onAFullDiskTasksWaitAndARunThatFillsItSaysSo() throws Exception {
        Path base = ROOT.resolve(UUID.randomUUID().toString());
        Path disk = Files.createDirectories(base.resolve("disk"));
        String failure = run("mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", disk.toString());
        Assumptions.assumeTrue(failure == null, "cannot mount a tmpfs here (needs root): " + failure);
        mounted = disk;
        NodeProcess node = node(base, "--scheduler.health.min-free-space=8MB",
                "--scheduler.work-dir=" + disk.resolve("work"), "--scheduler.outbox-dir=" + disk.resolve("outbox")).start();
        Api api = node.api();

        // 4 MB left: below min-free-space
        Path ballast = disk.resolve("ballast");
        fill(ballast, Files.getFileStore(disk).getUsableSpace() - 4 * 1024 * 1024);
        List<Long> ids = List.of(Tasks.submit(api, QUICK), Tasks.submit(api, QUICK));
        // outbox/ is the first folder on the tmpfs that the check names
        await().atMost(Duration.ofSeconds(30)).until(() -> node.log().contains("Not claiming tasks: outbox (" + disk));
        assertStayPending(api, ids);

        Files.delete(ballast);
        for (long id : ids) {
            assertThat(Tasks.awaitFinished(api, id, Duration.ofSeconds(90)).path("status").asText()).isEqualTo("SUCCEEDED");
        }
        assertThat(node.log()).contains("Every folder has space again: claiming tasks");

        // the disk fills up under a running task: its traceback cannot even reach run.log
        long id = Tasks.submit(api, "{\"loop_n\": 3, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"1\"}}");
        await().atMost(Duration.ofSeconds(60)).until(() -> !Tasks.get(api, id).path("pid").isNull());
        fill(ballast, Long.MAX_VALUE);
        JsonNode task = Tasks.awaitFinished(api, id, Duration.ofSeconds(90));
        assertThat(task.path("status").asText()).as(task.toPrettyString()).isEqualTo("FAILED");
        assertThat(task.path("error").asText()).startsWith("No space left on device: ");
        assertThat(task.path("exit_code").isNull()).as("the exit code survives the failed archive").isFalse();
        assertThat(task.path("archive_path").isNull()).isTrue();
        assertThat(task.path("warnings").toString()).contains("not archived: No space left on device");
        try (Stream<Path> outbox = Files.walk(disk.resolve("outbox"))) {
            assertThat(outbox.map(Path::toString)).as("no half archive").noneMatch(path -> path.endsWith(".partial"));
        }
    }

    private NodeProcess node(Path base, String... settings) throws IOException {
        List<String> all = new ArrayList<>(SETTINGS);
        all.addAll(List.of(settings));
        NodeProcess node = NodeProcess.embedded("node-a", base, all);
        nodes.add(node);
        return node;
    }

    /** PENDING for a while (several claim polls and free-space checks), none FAILED. */
    private static void assertStayPending(Api api, List<Long> ids) {
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                .until(() -> ids.stream().allMatch(id -> Tasks.get(api, id).path("status").asText().equals("PENDING")));
    }

    /** Writes up to {@code bytes} of zeros, or until the disk is full. */
    private static void fill(Path file, long bytes) throws IOException {
        byte[] block = new byte[64 * 1024];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            while (written < bytes) {
                int n = (int) Math.min(block.length, bytes - written);
                out.write(block, 0, n);
                written += n;
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left on device")) {
                throw full;
            }
        }
    }

    /** Runs a system command; its output when it failed, null when it succeeded. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return "timed out";
        }
        return process.exitValue() == 0 ? null : output.strip() + " (exit " + process.exitValue() + ")";
    }
}
