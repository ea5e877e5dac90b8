package com.aistock.rdagent.run;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * RD-Agent's Docker containers (qrun, data generation) are children of dockerd, not of the run's process group: a
 * SIGKILL or a crash leaves them running, and leftovers slow every later run down. Once a run's group is gone, the
 * containers that mount anything under that task's workspace are stopped and removed. They are found by their
 * mounts, never by image, so the containers of other tasks are left alone. Where no {@code docker} command is
 * installed there is nothing to do.
 */
@Component
public class DockerLeftovers {

    private static final Logger log = LoggerFactory.getLogger(DockerLeftovers.class);
    private static final long TIMEOUT_SECONDS = 60;

    private final ObjectMapper objectMapper;
    private final String docker;
    private volatile String lastProblem;

    public DockerLeftovers(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
        this.docker = onPath("docker");
    }

    /** Stops and removes every container, running or not, with a mount from inside {@code workspace}. */
    public void removeFor(Path workspace) {
        if (docker == null || workspace == null) {
            return;
        }
        Path root = workspace.toAbsolutePath().normalize();
        try {
            List<String> ids = run(List.of(docker, "ps", "--all", "--quiet", "--no-trunc")).lines()
                    .map(String::strip).filter(id -> !id.isEmpty()).toList();
            if (ids.isEmpty()) {
                return;
            }
            List<String> inspect = new ArrayList<>(List.of(docker, "inspect"));
            inspect.addAll(ids);
            List<String> leftovers = new ArrayList<>();
            for (JsonNode container : objectMapper.readTree(run(inspect))) {
                for (JsonNode mount : container.path("Mounts")) {
                    String source = mount.path("Source").asText("");
                    if (!source.isEmpty() && Path.of(source).normalize().startsWith(root)) {
                        leftovers.add(container.path("Id").asText());
                        break;
                    }
                }
            }
            if (leftovers.isEmpty()) {
                return;
            }
            List<String> remove = new ArrayList<>(List.of(docker, "rm", "--force", "--volumes"));
            remove.addAll(leftovers);
            run(remove);
            log.warn("Removed {} Docker container(s) left by the run in {}: {}", leftovers.size(), root,
                    leftovers.stream().map(id -> id.substring(0, Math.min(12, id.length()))).toList());
        } catch (IOException | RuntimeException e) {
            // a docker command without a daemon (no Docker runs here) would say so after every run: once is enough
            boolean again = e.getMessage() != null && e.getMessage().equals(lastProblem);
            lastProblem = e.getMessage();
            if (!again) {
                log.warn("Cannot look for Docker containers left by the run in {}: {}", root, e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One docker command, argv only; its standard output, or an exception naming what docker said. */
    private static String run(List<String> argv) throws IOException, InterruptedException {
        Path out = Files.createTempFile("docker", ".out");
        Path errors = Files.createTempFile("docker", ".err");
        try {
            Process process = new ProcessBuilder(argv)
                    .redirectOutput(out.toFile())
                    .redirectError(errors.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("docker " + argv.get(1) + " timed out");
            }
            if (process.exitValue() != 0) {
                throw new IOException("docker " + argv.get(1) + " exited with " + process.exitValue() + ": "
                        + Files.readString(errors, StandardCharsets.UTF_8).strip());
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(errors);
        }
    }

    private static String onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String folder : path.split(File.pathSeparator)) {
            Path candidate = Path.of(folder.isEmpty() ? "." : folder, command);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
