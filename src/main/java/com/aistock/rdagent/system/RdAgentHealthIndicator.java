package com.aistock.rdagent.system;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * Readiness: RD-Agent can be started. Its home holds the templates the config center edits, and its command
 * (in demo mode the simulator's {@code bin/rdagent}) is an executable file, given as a path or found on the
 * {@code PATH} the runs inherit. Nothing is launched: a real RD-Agent takes seconds just to import.
 */
@Component("rdagentHealthIndicator")
public class RdAgentHealthIndicator extends AbstractHealthIndicator {

    private final RdAgentInstallation installation;

    public RdAgentHealthIndicator(RdAgentInstallation installation) {
        super("RD-Agent check failed");
        this.installation = installation;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Optional<Path> command = resolve(installation.command(), System.getenv("PATH"));
        boolean home = Files.isDirectory(installation.home());
        builder.withDetail("demo", installation.demo())
                .withDetail("home", installation.home().toString())
                .withDetail("command", installation.command());
        command.ifPresent(path -> builder.withDetail("executable", path.toString()));
        if (!home) {
            builder.down().withDetail("error", "RDAGENT_HOME is not a folder");
        } else if (command.isEmpty()) {
            builder.down().withDetail("error", "the RD-Agent command is not an executable file");
        } else {
            builder.up();
        }
    }

    /** The executable a command names: a path as given, or a bare name looked up on {@code path}. */
    static Optional<Path> resolve(String command, String path) {
        if (command == null || command.isBlank()) {
            return Optional.empty();
        }
        Stream<Path> candidates = command.contains(File.separator) ? Stream.of(Path.of(command))
                : Stream.of((path == null ? "" : path).split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, command));
        return candidates.filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }
}
