package com.aistock.rdagent.schedule;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.aistock.rdagent.RdAgentSchedulerApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Another node of the service in its own JVM, on the test's PostgreSQL. Its own JVM because Quartz keeps
 * JVM-wide registries keyed by scheduler name (Spring's LocalDataSourceJobStore registers its DataSource in
 * Quartz's DBConnectionManager under that name), and cluster nodes must share the name: a second Spring context in
 * this JVM would take over the first one's Quartz connections, and close them when it stops.
 */
public final class SecondInstance implements AutoCloseable {

    private final Process process;
    private final Path log;

    private SecondInstance(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts a node that only fires schedules and waits until its Quartz scheduler has joined the cluster. */
    public static SecondInstance start(String jdbcUrl, Path baseDir, String nodeId) throws IOException {
        // this node only fires schedules; the test's own node runs the tasks
        return start(jdbcUrl, baseDir, nodeId, List.of("--scheduler.worker.enabled=false"));
    }

    /** Starts a node that also runs tasks, with {@code settings} added, and waits until it is up. */
    public static SecondInstance startWorker(String jdbcUrl, Path baseDir, String nodeId, String... settings)
            throws IOException {
        List<String> worker = new ArrayList<>(List.of(settings));
        worker.add("--scheduler.rdagent.python=/usr/bin/python3");
        return start(jdbcUrl, baseDir, nodeId, worker);
    }

    private static SecondInstance start(String jdbcUrl, Path baseDir, String nodeId, List<String> settings)
            throws IOException {
        Files.createDirectories(baseDir);
        Path log = baseDir.resolve("node.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1",
                "-cp", classPath(),
                RdAgentSchedulerApplication.class.getName(),
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=postgres",
                "--server.port=0",
                "--scheduler.base-dir=" + baseDir,
                "--scheduler.node.id=" + nodeId,
                "--scheduler.security.admin-password=" + com.aistock.rdagent.support.Api.ADMIN_PASSWORD,
                "--scheduler.security.password-strength=4",
                // the Quartz timings of the test's own node (IntegrationTest)
                "--spring.quartz.properties[org.quartz.jobStore.misfireThreshold]=3000",
                "--spring.quartz.properties[org.quartz.scheduler.idleWaitTime]=1000"));
        command.addAll(settings);
        Process process = new ProcessBuilder(command)
                .directory(baseDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        SecondInstance instance = new SecondInstance(process, log);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(process.isAlive()).as("node %s exited; its log:%n%s", nodeId, instance.logText()).isTrue();
            return instance.logText().contains("Quartz scheduler rdagent-scheduler started");
        });
        return instance;
    }

    /**
     * The test JVM's class path without empty entries: surefire's ends with a separator, which Java reads as the
     * working directory, whose {@code routes/} would then load twice.
     */
    private static String classPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** SIGTERM, as a service manager stops it: Spring's graceful shutdown. */
    public void stop() {
        process.destroy();
    }

    public boolean awaitExit(Duration within) throws InterruptedException {
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
