package com.aistock.rdagent.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One scheduler instance in its own JVM, from the packaged jar, against a database the test owns, or (jdbcUrl null)
 * its own embedded PostgreSQL under {@code base/data/pg}. A null id leaves the node its generated, kept id.
 */
public final class NodeProcess {

    /** The launcher's unpacked jar and class-data archive, shared by every node of this test run. */
    private static final Path LAUNCHER_CACHE = Path.of("target", "node-cache").toAbsolutePath();
    private static boolean archiveWritten;

    private final String id;
    private final Path base;
    private final List<String> settings;
    private int port;
    private Process process;

    public NodeProcess(String id, Path base, String jdbcUrl, List<String> settings) throws IOException {
        this.id = id;
        this.base = base;
        this.port = freePort();
        this.settings = new ArrayList<>(settings);
        this.settings.addAll(List.of("--scheduler.base-dir=" + base,
                "--scheduler.security.admin-password=" + Api.ADMIN_PASSWORD, "--scheduler.security.password-strength=4"));
        if (id != null) {
            this.settings.add("--scheduler.node.id=" + id);
        }
        if (jdbcUrl != null) {
            this.settings.addAll(List.of("--spring.datasource.url=" + jdbcUrl, "--spring.datasource.username=postgres"));
        }
    }

    /** A node on its own embedded PostgreSQL. */
    public static NodeProcess embedded(String id, Path base, List<String> settings) throws IOException {
        return new NodeProcess(id, base, null, settings);
    }

    /** The next start listens on another port (RD-Agent runs started before keep posting their events to the old one). */
    public NodeProcess onAnotherPort() throws IOException {
        port = freePort();
        return this;
    }

    public NodeProcess start() throws IOException {
        writeClassDataArchive();
        return launch();
    }

    /**
     * The first start of this test run starts and stops one node, so that the unit's launcher writes the class-data
     * archive every later start maps: a node is ready in about half the time (README, Benchmarks).
     */
    private static synchronized void writeClassDataArchive() throws IOException {
        if (archiveWritten) {
            return;
        }
        NodeProcess training = embedded(null, LAUNCHER_CACHE.resolve("training-" + UUID.randomUUID()), List.of());
        try {
            training.launch();
        } finally {
            try {
                training.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!Files.exists(LAUNCHER_CACHE.resolve("app.jsa"))) {
            throw new IllegalStateException("The launcher wrote no class-data archive; see " + training.base.resolve("node.log"));
        }
        archiveWritten = true;
    }

    /** Through src/main/dist/rdagent-scheduler.sh, as the systemd unit starts the service (it execs java: same pid). */
    private NodeProcess launch() throws IOException {
        Files.createDirectories(base);
        List<String> command = new ArrayList<>(List.of("/bin/sh", Path.of("src/main/dist/rdagent-scheduler.sh").toAbsolutePath().toString()));
        command.addAll(settings);
        command.add("--server.port=" + port);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(base.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("node.log").toFile()));
        builder.environment().remove("RDAGENT_HOME");
        builder.environment().remove("SPRING_DATASOURCE_URL");
        builder.environment().put("RDAGENT_JAR", jar().toString());
        builder.environment().put("CACHE_DIRECTORY", LAUNCHER_CACHE.toString());
        builder.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // C1 alone: a test node lives seconds to minutes, where the second compiler only costs start-up time
        builder.environment().put("JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1");
        process = builder.start();
        Api api = api();
        Process starting = process;
        // a hang guard, not a speed limit: on a busy shared machine a start has taken three minutes
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(250)).ignoreExceptionsInstanceOf(UncheckedIOException.class)
                .until(() -> !starting.isAlive() || api.get("/api/rdagent/tasks?size=1").status() == 200);
        if (!starting.isAlive()) {
            throw new IllegalStateException("Node " + id + " exited while starting (exit code " + starting.exitValue()
                    + "); see " + base.resolve("node.log"));
        }
        return this;
    }

    public Process process() {
        return process;
    }

    /** The pid of the embedded PostgreSQL's postmaster ({@code data/pg/postmaster.pid}), if one is recorded. */
    public OptionalLong postmasterPid() throws IOException {
        Path pidFile = base.resolve("data/pg/postmaster.pid");
        if (!Files.exists(pidFile)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(Files.readAllLines(pidFile).get(0).strip()));
    }

    /** What the node has logged so far. */
    public String log() throws IOException {
        return Files.readString(base.resolve("node.log"));
    }

    /**
     * Starts again after {@link #kill()}: the time until the API answers. With the embedded database the killed
     * JVM's postmaster may still hold {@code data/pg}: the first start must stop it and succeed.
     */
    public Duration restartAfterKill() throws IOException {
        long started = System.nanoTime();
        start();
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /**
     * After a failed test: the embedded PostgreSQL a killed node left on {@code base/data/pg}, if its pid file still
     * names a postgres serving that very folder (a pid may have been reused by anyone's process since).
     */
    public static void stopLeftOverPostgres(Path base) throws IOException, InterruptedException {
        Path data = base.resolve("data/pg").toAbsolutePath();
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        String pid = Files.readAllLines(pidFile).get(0).strip();
        String commandLine;
        try {
            commandLine = Files.readString(Path.of("/proc", pid, "cmdline")).replace('\0', ' ');
        } catch (IOException gone) {
            return;
        }
        if (commandLine.contains("postgres") && commandLine.contains(" -D " + data + " ")) {
            new ProcessBuilder("kill", "-QUIT", pid).start().waitFor();
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no graceful stop; its RD-Agent process groups live on. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public void stop() throws InterruptedException {
        stopAll(List.of(this));
    }

    /** SIGTERM to every node at once, then each is waited for (a graceful stop takes seconds): SIGKILL after 90 s. */
    public static void stopAll(List<NodeProcess> nodes) throws InterruptedException {
        List<Process> stopping = nodes.stream().map(node -> node.process).filter(p -> p != null && p.isAlive()).toList();
        stopping.forEach(Process::destroy);
        for (Process process : stopping) {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    public Api api() {
        return new Api(port);
    }

    public String id() {
        return id;
    }

    public Path base() {
        return base;
    }

    private static Path jar() throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target").toAbsolutePath(), "rdagent-scheduler-*.jar")) {
            for (Path jar : jars) {
                return jar;
            }
        }
        throw new IllegalStateException("Run through 'mvnw verify': the packaged jar is missing");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
