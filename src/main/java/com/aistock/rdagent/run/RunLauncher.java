package com.aistock.rdagent.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.aistock.rdagent.system.SchedulerProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The bundled launcher ({@code launcher/rdagent-launcher.py}, Python standard library only) that every run starts
 * under: it leads the process group, runs RD-Agent as its child, writes the exit status to {@code exit.json} in the
 * workspace when RD-Agent ends, whether or not this JVM is still there, and stops the run by itself when its lease
 * file has not been touched for {@code scheduler.node.fence-after}.
 */
@Component
public class RunLauncher {

    private static final Logger log = LoggerFactory.getLogger(RunLauncher.class);
    private static final String RESOURCE = "/launcher/rdagent-launcher.py";

    private final Path script;
    private final String python;
    private final SchedulerProperties properties;
    private final ObjectMapper objectMapper;

    public RunLauncher(SchedulerProperties properties, ObjectMapper objectMapper) {
        this.properties = properties;
        this.objectMapper = objectMapper;
        this.python = properties.rdagent().python();
        this.script = properties.data().resolve("rdagent-launcher.py");
        install(script);
    }

    /** {@code setsid python -I -S launcher … -- executable args}: argv only, nothing passes through a shell. */
    public List<String> command(Workspace workspace, String executable, List<String> args) {
        List<String> argv = new ArrayList<>(Arrays.asList("setsid", python, "-I", "-S", script.toString(),
                "--exit-file", workspace.exitFile().toString(),
                "--lease-file", workspace.leaseFile().toString(),
                "--fence-after", seconds(properties.node().fenceAfter()),
                "--second-interrupt-after", seconds(properties.run().secondInterruptAfter()),
                "--stop-grace", seconds(properties.run().stopGrace()),
                "--", executable));
        argv.addAll(args);
        return argv;
    }

    /** Before a start: no exit status of an earlier attempt, and a fresh lease. */
    public void prepare(Workspace workspace) throws IOException {
        Files.deleteIfExists(workspace.exitFile());
        renew(workspace);
    }

    /** The node renewed the run's lease in the database: the launcher may let it go on. */
    public void renew(Workspace workspace) throws IOException {
        Path lease = workspace.leaseFile();
        try {
            Files.setLastModifiedTime(lease, FileTime.from(Instant.now()));
        } catch (NoSuchFileException e) {
            Files.writeString(lease, "");
        }
    }

    /** What the launcher of process group {@code pgid} recorded, once RD-Agent has ended. */
    public Optional<ExitStatus> exitStatus(Workspace workspace, long pgid) {
        Path file = workspace.exitFile();
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            ExitStatus status = objectMapper.readValue(file.toFile(), ExitStatus.class);
            return status.pid() == pgid ? Optional.of(status) : Optional.empty();
        } catch (IOException e) {
            log.warn("Unreadable exit status {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    private static String seconds(Duration duration) {
        return Double.toString(duration.toMillis() / 1000.0);
    }

    /** Written on every start, so an upgrade brings the new launcher; a run already going keeps the one it read. */
    private static void install(Path target) {
        try (InputStream in = RunLauncher.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the build");
            }
            Files.createDirectories(target.getParent());
            Path draft = Files.createTempFile(target.getParent(), ".rdagent-launcher", ".tmp");
            Files.copy(in, draft, StandardCopyOption.REPLACE_EXISTING);
            Files.move(draft, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot install the run launcher at " + target, e);
        }
    }
}
