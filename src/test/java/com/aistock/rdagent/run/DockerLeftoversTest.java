package com.aistock.rdagent.run;

import java.nio.file.Files;
import java.nio.file.Path;

import com.aistock.rdagent.support.DockerEngine;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Against the machine's Docker engine: a run's leftovers are found by their mounts, and only those are removed. */
class DockerLeftoversTest {

    @TempDir
    Path work;

    @BeforeEach
    void engine() throws Exception {
        DockerEngine.assumeReady();
    }

    @AfterEach
    void cleanUp() throws Exception {
        DockerEngine.removeMounting(work);
    }

    @Test
    void containersMountingTheWorkspaceAreRemovedAndOthersAreNot() throws Exception {
        Path task1 = Files.createDirectories(work.resolve("tasks/1"));
        Path task10 = Files.createDirectories(work.resolve("tasks/10"));
        String experiment = DockerEngine.startMounting(Files.createDirectories(task1.resolve("ws/4f2a")));
        String data = DockerEngine.startMounting(Files.createDirectories(task1.resolve("git_ignore_folder")));
        String otherTask = DockerEngine.startMounting(task10);

        new DockerLeftovers(new ObjectMapper()).removeFor(task1);

        assertThat(DockerEngine.containersMounting(task1)).doesNotContain(experiment, data).isEmpty();
        assertThat(DockerEngine.running(otherTask)).as("another task's container").isTrue();
    }

    @Test
    void aWorkspaceWithoutContainersIsNothingToDo() throws Exception {
        Path task2 = Files.createDirectories(work.resolve("tasks/2"));
        String otherTask = DockerEngine.startMounting(Files.createDirectories(work.resolve("tasks/3")));

        new DockerLeftovers(new ObjectMapper()).removeFor(task2);

        assertThat(DockerEngine.running(otherTask)).isTrue();
    }
}
