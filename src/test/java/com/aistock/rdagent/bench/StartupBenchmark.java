package com.aistock.rdagent.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.aistock.rdagent.support.Api;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/**
 * The packaged jar: start-up to ready ({@code /actuator/health/readiness} UP, embedded PostgreSQL included) and
 * resident memory once idle. A {@code -Pbench} run has no package phase before its tests, so this builds the jar
 * first with {@code ./mvnw package -DskipTests}. Started with the JVM options of the systemd unit.
 */
class StartupBenchmark {

    /** As in src/main/dist/rdagent-scheduler.service. */
    static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC");
    private static final long IDLE_MILLIS = 20_000;

    @Test
    void startUpToReadyAndIdleMemory() throws Exception {
        Path jar = packageJar();
        Path base = BenchResults.FOLDER.resolve("startup").toAbsolutePath();
        Processes.deleteTree(base);
        Files.createDirectories(base);

        Started cold = start(jar, base);
        cold.stop();
        Started warm = start(jar, base);
        long rssKib;
        long postgresKib;
        try {
            // the JVM idles (timers, heartbeats) before its resident memory is read
            await().pollDelay(Duration.ofMillis(IDLE_MILLIS)).atMost(Duration.ofMillis(IDLE_MILLIS + 1000)).until(() -> true);
            rssKib = rss(warm.process.pid());
            postgresKib = postgresRss(base.resolve("data/pg/postmaster.pid"));
        } finally {
            warm.stop();
        }
        Processes.deleteTree(base);

        double seconds = warm.readyMillis / 1000.0;
        BenchResults.add(new BenchResults.Figure(70, "startup", "Start-up to ready (java -jar, embedded PostgreSQL)",
                seconds, "s", null, "— (absolute target)", seconds / 10, "× target", "≤ 10 s", seconds <= 10,
                String.format("A restart on existing data (PostgreSQL start, Flyway check, routes); the first start on "
                        + "an empty folder (initdb, migrations, demo copy) took %.1f s. JVM options %s.",
                        cold.readyMillis / 1000.0, String.join(" ", JVM_OPTIONS))));
        double mib = rssKib / 1024.0;
        BenchResults.add(new BenchResults.Figure(71, "idle-rss", "Idle RSS after start (the JVM)", mib, "MiB", null,
                "— (absolute target)", mib / 400, "× target", "≤ 400 MiB", mib <= 400,
                String.format("VmRSS of the java process %d s after ready, JVM options %s. The embedded PostgreSQL's "
                                + "processes (an external server in production) add %.0f MiB more, their shared memory "
                                + "counted once per process.", IDLE_MILLIS / 1000, String.join(" ", JVM_OPTIONS),
                        postgresKib / 1024.0)));
    }

    private record Started(Process process, long readyMillis) {

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static Started start(Path jar, Path base) throws IOException, InterruptedException {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--scheduler.base-dir=" + base));
        ProcessBuilder builder = new ProcessBuilder(command).directory(base.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("app.log").toFile()));
        builder.environment().remove("RDAGENT_HOME");
        builder.environment().remove("SPRING_DATASOURCE_URL");
        Api api = new Api(port);
        long t0 = System.nanoTime();
        Process process = builder.start();
        // a 25 ms poll is the resolution of the figure
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(25))
                .until(() -> ready(api) || !process.isAlive());
        if (!process.isAlive()) {
            throw new IllegalStateException("the jar stopped before it was ready; see " + base.resolve("app.log"));
        }
        return new Started(process, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    private static boolean ready(Api api) {
        try {
            return api.get("/actuator/health/readiness").status() == 200;
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    /** {@code ./mvnw package -DskipTests}: the jar exactly as a release builds it. */
    private static Path packageJar() throws IOException, InterruptedException {
        Path log = BenchResults.FOLDER.resolve("package.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        Process build = new ProcessBuilder("./mvnw", "-B", "-q", "package", "-DskipTests")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!build.waitFor(10, TimeUnit.MINUTES) || build.exitValue() != 0) {
            throw new IllegalStateException("./mvnw package -DskipTests failed; see " + log);
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "rdagent-scheduler-*.jar")) {
            for (Path jar : jars) {
                return jar.toAbsolutePath();
            }
        }
        throw new IllegalStateException("no jar in target/ after ./mvnw package");
    }

    /** The postmaster (it detaches from the JVM) and its children. */
    private static long postgresRss(Path pidFile) throws IOException {
        String postmaster = Files.readAllLines(pidFile).get(0).strip();
        long total = rss(Long.parseLong(postmaster));
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                try {
                    if (Files.readAllLines(process.resolve("status")).contains("PPid:\t" + postmaster)) {
                        total += rss(Long.parseLong(process.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // ended while listed
                }
            }
        }
        return total;
    }

    private static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", ""));
                }
            }
        } catch (IOException gone) {
            return 0;
        }
        return 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
