package com.aistock.rdagent.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.aistock.rdagent.support.RequiredTools;

/**
 * The two sets of RD-Agent files the config tests run on: the real ones from {@code ../shared/fixtures/rdagent}
 * (read in place, never copied into the project; see {@link RequiredTools}) and this project's own demo
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

    /** The folder holding the files; without the real files the calling test is skipped (fails under CI=true). */
    public Path folder() {
        return this == REAL ? RequiredTools.sharedFolder(folder) : folder;
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
