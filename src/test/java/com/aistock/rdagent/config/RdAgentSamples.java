package com.aistock.rdagent.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The two sets of RD-Agent files the config tests run on: the real ones from {@code ../shared/fixtures/rdagent}
 * (read in place, never copied into the project; skipped when that folder is absent) and this project's own demo
 * samples.
 */
public enum RdAgentSamples {

    REAL(Path.of("..", "shared", "fixtures", "rdagent"), ".env.example"),
    DEMO(Path.of("src", "main", "resources", "demo", "rdagent-home"), ".env");

    private final Path folder;
    private final String envFile;

    RdAgentSamples(Path folder, String envFile) {
        this.folder = folder.toAbsolutePath().normalize();
        this.envFile = envFile;
    }

    /** The folder holding the files; skips the calling test with the reason when the real files are absent. */
    public Path folder() {
        assumeTrue(Files.isDirectory(folder), () -> {
            String reason = "real RD-Agent fixtures not found at " + folder + " (../shared is absent): stage skipped";
            System.out.println(reason);
            return reason;
        });
        return folder;
    }

    Path env() {
        return folder().resolve(envFile);
    }

    /** A temporary RD-Agent home holding the five templates and the .env of this set. */
    Path copyInto(Path home) throws IOException {
        for (String template : RdAgentFiles.TEMPLATES) {
            Files.createDirectories(home.resolve(template).getParent());
            Files.copy(folder().resolve(template), home.resolve(template));
        }
        Files.copy(env(), home.resolve(RdAgentFiles.ENV));
        return home;
    }
}
