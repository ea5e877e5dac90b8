package com.aistock.rdagent.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.aistock.rdagent.support.Api;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/**
 * The packaged jar started as the systemd unit starts it: {@code src/main/dist/rdagent-scheduler.sh} (unpacked jar,
 * class-data-sharing archive) with the unit's {@code JAVA_OPTS}. Start-up to ready ({@code /actuator/health/readiness}
 * UP, embedded PostgreSQL included) on existing data, and resident memory once idle. The first start on an empty
 * folder unpacks the jar and writes the archive when it stops, as after an install; the restarts are measured.
 * Baseline: plain {@code java -jar} with the same options on the same data, alternating with the unit's way.
 * A {@code -Pbench} run has no package phase before its tests, so this builds the jar first with
 * {@code ./mvnw package -DskipTests}.
 */
class StartupBenchmark {

    static final Path UNIT = Path.of("src", "main", "dist", "rdagent-scheduler.service");
    static final Path LAUNCHER = Path.of("src", "main", "dist", "rdagent-scheduler.sh");
    private static final long IDLE_MILLIS = 20_000;
    private static final int ROUNDS = 3;

    @Test
    void startUpToReadyAndIdleMemory() throws Exception {
        Path jar = packageJar();
        String javaOpts = unitJavaOpts();
        Path base = BenchResults.FOLDER.resolve("startup").toAbsolutePath();
        Processes.deleteTree(base);
        Files.createDirectories(base);

        Started cold = start(launcher(jar, javaOpts, base), base);
        cold.stop();
        if (!Files.exists(base.resolve("cache/app.jsa"))) {
            throw new IllegalStateException("the first stop wrote no class-data archive; see " + base.resolve("app.log"));
        }
        List<Double> unitWay = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            Started restart = start(plainJar(jar, javaOpts, base), base);
            restart.stop();
            plain.add(restart.readyMillis / 1000.0);
            restart = start(launcher(jar, javaOpts, base), base);
            restart.stop();
            unitWay.add(restart.readyMillis / 1000.0);
        }
        Started warm = start(launcher(jar, javaOpts, base), base);
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

        unitWay.add(warm.readyMillis / 1000.0);
        double seconds = BenchResults.percentile(unitWay, 50);
        double baseline = BenchResults.percentile(plain, 50);
        BenchResults.add(new BenchResults.Figure(70, "startup", "Start-up to ready (systemd unit's launcher, embedded PostgreSQL)",
                seconds, "s", baseline, "plain java -jar, same options", seconds / baseline, "× (time)", "≤ 10 s",
                seconds <= 10,
                String.format(Locale.ROOT, "Median of %d restarts on existing data (PostgreSQL start, Flyway check, "
                                + "routes) through src/main/dist/rdagent-scheduler.sh, which maps the class-data archive "
                                + "the first stop wrote: %s s; plain java -jar alternating with them: %s s. The first "
                                + "start on an empty folder (initdb, migrations, demo copy, unpacking the jar, no archive "
                                + "yet) took %.1f s. JAVA_OPTS from the unit: %s.",
                        unitWay.size(), seconds(unitWay), seconds(plain), cold.readyMillis / 1000.0, javaOpts)));
        double mib = rssKib / 1024.0;
        BenchResults.add(new BenchResults.Figure(71, "idle-rss", "Idle RSS after start (the JVM)", mib, "MiB", null,
                "— (absolute target)", mib / 400, "× target", "≤ 400 MiB", mib <= 400,
                String.format(Locale.ROOT, "VmRSS of the java process %d s after ready, started by the unit's launcher "
                                + "(the mapped archive included), JAVA_OPTS %s. The embedded PostgreSQL's processes (an "
                                + "external server in production) add %.0f MiB more, their shared memory counted once "
                                + "per process.", IDLE_MILLIS / 1000, javaOpts, postgresKib / 1024.0)));
    }

    private static String seconds(List<Double> values) {
        StringBuilder text = new StringBuilder();
        for (double value : values) {
            text.append(text.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", value));
        }
        return text.toString();
    }

    /** The {@code JAVA_OPTS} line of the unit, so the benchmark cannot drift from what a server runs. */
    static String unitJavaOpts() throws IOException {
        for (String line : Files.readAllLines(UNIT)) {
            if (line.startsWith("Environment=\"JAVA_OPTS=")) {
                return line.substring("Environment=\"JAVA_OPTS=".length(), line.length() - 1);
            }
        }
        throw new IllegalStateException("no Environment=\"JAVA_OPTS=...\" in " + UNIT);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** As the unit's ExecStart, with the unit's environment pointed at this jar and a cache under {@code base}. */
    private static ProcessBuilder launcher(Path jar, String javaOpts, Path base) {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", LAUNCHER.toAbsolutePath().toString(), "--scheduler.base-dir=" + base);
        builder.environment().putAll(Map.of("JAVA", java(), "JAVA_OPTS", javaOpts, "RDAGENT_JAR", jar.toString(),
                "CACHE_DIRECTORY", base.resolve("cache").toString()));
        return builder;
    }

    private static ProcessBuilder plainJar(Path jar, String javaOpts, Path base) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(List.of(javaOpts.split(" ")));
        command.addAll(List.of("-jar", jar.toString(), "--scheduler.base-dir=" + base));
        return new ProcessBuilder(command);
    }

    private record Started(Process process, long readyMillis) {

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static Started start(ProcessBuilder builder, Path base) throws IOException, InterruptedException {
        int port = freePort();
        builder.command().add("--server.port=" + port);
        builder.directory(base.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("app.log").toFile()));
        builder.environment().remove("RDAGENT_HOME");
        builder.environment().remove("SPRING_DATASOURCE_URL");
        Api api = Api.anonymous(port);
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
