package com.aistock.rdagent.system;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.Tasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar, started with {@code java -jar} from an unrelated folder on a machine with no RD-Agent: it
 * serves the API on embedded PostgreSQL in demo mode, runs a task, and keeps everything under the base folder.
 */
// up to three starts and graceful stops of the packaged jar: longer than the suite's default
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class PackagedJarIT {

    @Test
    void theJarRunsADemoTaskFromAnyFolder(@TempDir Path someFolder) throws Exception {
        Path jar = packagedJar();
        int port = freePort();
        Path run = newRunFolder();
        Path base = Files.createDirectories(run.resolve("base"));
        Path output = run.resolve("app.log");
        ProcessBuilder builder = new ProcessBuilder(new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-jar", jar.toString(), "--server.port=" + port, "--scheduler.base-dir=" + base)))
                .directory(someFolder.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().remove("RDAGENT_HOME");
        builder.environment().remove("SPRING_DATASOURCE_URL");
        builder.environment().remove("SCHEDULER_ADMIN_PASSWORD");
        Process app = builder.start();
        try {
            // no SCHEDULER_ADMIN_PASSWORD: the first start generates one, readable by its owner only
            Path passwordFile = base.resolve("data/initial-admin-password");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> Api.as(port, "admin", Files.readString(passwordFile).strip())
                            .get("/api/rdagent/tasks").status() == 200);
            assertThat(java.nio.file.Files.getPosixFilePermissions(passwordFile))
                    .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            Api api = Api.as(port, "admin", Files.readString(passwordFile).strip());
            assertThat(Api.anonymous(port).get("/api/rdagent/tasks").status()).isEqualTo(401);

            long id = Tasks.submit(api, "{\"name\": \"jar\", \"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
            Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofSeconds(60));

            assertThat(Files.readString(output)).contains("DEMO MODE");
            assertThat(base.resolve("data/pg/PG_VERSION")).exists();
            assertThat(base.resolve("data/demo-rdagent/bin/rdagent")).isExecutable();
            assertThat(base.resolve("work/tasks/" + id + "/run.log")).exists();
            try (DirectoryStream<Path> days = Files.newDirectoryStream(base.resolve("outbox"))) {
                assertThat(days.iterator().next().resolve(id + "_jar/summary.json")).exists();
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(someFolder)) {
                assertThat(entries.iterator().hasNext()).as("nothing written to the working folder").isFalse();
            }
        } finally {
            app.destroy();
            assertThat(app.waitFor(90, TimeUnit.SECONDS)).as("graceful shutdown").isTrue();
        }
        assertThat(base.resolve("data/pg/postmaster.pid")).as("embedded PostgreSQL stopped with the app").doesNotExist();

        // a second start, from the base folder itself with the default base (the working directory), finds the
        // same data and keeps the first password: the file is neither rewritten nor replaced
        Path passwordFile = base.resolve("data/initial-admin-password");
        String password = Files.readString(passwordFile);
        java.nio.file.attribute.FileTime written = Files.getLastModifiedTime(passwordFile);
        builder.command().removeIf(argument -> argument.startsWith("--scheduler.base-dir="));
        Process again = builder.directory(base.toFile()).start();
        try {
            Api api = Api.as(port, "admin", password.strip());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> api.get("/api/rdagent/tasks").status() == 200);
            assertThat(Files.readString(passwordFile)).isEqualTo(password);
            assertThat(Files.getLastModifiedTime(passwordFile)).isEqualTo(written);
        } finally {
            again.destroy();
            assertThat(again.waitFor(90, TimeUnit.SECONDS)).isTrue();
        }
    }

    /**
     * src/main/dist/rdagent-scheduler.sh as the systemd unit runs it: the first start unpacks the jar and its normal
     * stop writes the class-data archive, the next start maps it, and a replaced jar starts over without it.
     */
    @Test
    void theUnitsLauncherWritesTheClassDataArchiveAndStartsWithIt(@TempDir Path install) throws Exception {
        Path jar = Files.copy(packagedJar(), install.resolve("rdagent-scheduler.jar"));
        Path run = newRunFolder();
        Path base = Files.createDirectories(run.resolve("base"));
        Path cache = base.resolve("cache");
        Path output = run.resolve("launcher.log");

        Process first = startWithLauncher(jar, base, cache, output);
        try {
            assertThat(commandLine(first)).contains("-XX:ArchiveClassesAtExit=" + cache.resolve("app.jsa"));
        } finally {
            stop(first);
        }
        assertThat(cache.resolve("app.jsa")).as("archive written at the first stop").exists();

        Process second = startWithLauncher(jar, base, cache, output);
        try {
            assertThat(commandLine(second)).contains("-XX:SharedArchiveFile=" + cache.resolve("app.jsa"));
            assertThat(Files.readString(Path.of("/proc", Long.toString(second.pid()), "maps")))
                    .as("the archive is mapped").contains(cache.resolve("app.jsa").toString());
        } finally {
            stop(second);
        }

        // an upgrade: another jar file in the same place
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        Process upgraded = startWithLauncher(jar, base, cache, output);
        try {
            assertThat(commandLine(upgraded)).contains("-XX:ArchiveClassesAtExit=" + cache.resolve("app.jsa"));
        } finally {
            stop(upgraded);
        }
    }

    private static Process startWithLauncher(Path jar, Path base, Path cache, Path output) throws IOException {
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", Path.of("src/main/dist/rdagent-scheduler.sh").toAbsolutePath()
                .toString(), "--server.port=" + port, "--scheduler.base-dir=" + base)
                .directory(base.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().remove("RDAGENT_HOME");
        builder.environment().remove("SPRING_DATASOURCE_URL");
        builder.environment().put("SCHEDULER_ADMIN_PASSWORD", Api.ADMIN_PASSWORD);
        builder.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        builder.environment().put("JAVA_OPTS", "-Xms64m -Xmx512m -XX:+UseSerialGC");
        builder.environment().put("RDAGENT_JAR", jar.toString());
        builder.environment().put("CACHE_DIRECTORY", cache.toString());
        Process app = builder.start();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> !app.isAlive() || Api.anonymous(port).get("/actuator/health/readiness").status() == 200);
        assertThat(app.isAlive()).as("started; see " + output).isTrue();
        return app;
    }

    private static String commandLine(Process process) throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ');
    }

    private static void stop(Process app) throws InterruptedException {
        app.destroy();
        assertThat(app.waitFor(90, TimeUnit.SECONDS)).as("graceful shutdown").isTrue();
    }

    /** The jar's base folder and its output, kept under target/ for SecretLeakIT to scan. */
    private static Path newRunFolder() throws IOException {
        return Files.createDirectories(Path.of("target", "jar-it", UUID.randomUUID().toString()).toAbsolutePath());
    }

    private static Path packagedJar() throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "rdagent-scheduler-*.jar")) {
            for (Path jar : jars) {
                if (!jar.toString().endsWith("-plain.jar") && !jar.toString().endsWith(".original")) {
                    return jar.toAbsolutePath();
                }
            }
        }
        throw new IllegalStateException("Run through 'mvnw verify': the packaged jar is missing in target" + File.separator);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
