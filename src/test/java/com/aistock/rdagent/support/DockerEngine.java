package com.aistock.rdagent.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The machine's Docker engine, through the {@code docker} CLI, for the tests of RD-Agent's docker mode: the
 * simulator's image is built locally without any registry (busybox-static in an empty root file system,
 * {@code docker import}). Without a working engine the test is skipped with the reason, except under CI, where
 * that is a failure (.ci/run installs and starts dockerd).
 */
public final class DockerEngine {

    /** The image the simulator's docker mode runs by default. */
    public static final String IMAGE = "rdagent-sim-busybox:latest";
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final ObjectMapper JSON = new ObjectMapper();

    private DockerEngine() {
    }

    /** Skips (or, under CI, fails) the test unless dockerd answers and the simulator's image exists or can be built. */
    public static void assumeReady() throws IOException, InterruptedException {
        String problem = problem();
        if (problem != null && "true".equals(System.getenv("CI"))) {
            fail("Docker is required under CI: " + problem);
        }
        assumeTrue(problem == null, problem);
    }

    private static String problem() throws IOException, InterruptedException {
        Result info;
        try {
            info = run("docker", "info", "--format", "{{.ServerVersion}}");
        } catch (IOException noCli) {
            return "no docker command: " + noCli.getMessage();
        }
        if (info.code() != 0) {
            return "dockerd does not answer: " + info.err().strip();
        }
        if (run("docker", "image", "inspect", IMAGE).code() == 0) {
            return null;
        }
        if (!Files.isExecutable(BUSYBOX)) {
            return "no " + BUSYBOX + " (Debian's busybox-static) to build " + IMAGE + " from";
        }
        Path root = Files.createTempDirectory("rdagent-sim-rootfs");
        Files.createDirectories(root.resolve("bin"));
        Files.copy(BUSYBOX, root.resolve("bin/busybox"));
        for (String applet : List.of("sh", "sleep")) {
            Files.createSymbolicLink(root.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        Path tar = Files.createTempFile("rdagent-sim-rootfs", ".tar");
        Result packed = run("tar", "-C", root.toString(), "-cf", tar.toString(), ".");
        Result imported = packed.code() == 0 ? run("docker", "import", tar.toString(), IMAGE) : packed;
        return imported.code() == 0 ? null : "cannot build " + IMAGE + ": " + imported.err().strip();
    }

    /** Ids of the containers, running or not, with a mount from inside {@code folder}. */
    public static List<String> containersMounting(Path folder) throws IOException, InterruptedException {
        List<String> ids = run("docker", "ps", "--all", "--quiet", "--no-trunc").out().lines()
                .map(String::strip).filter(id -> !id.isEmpty()).toList();
        List<String> mounting = new ArrayList<>();
        if (ids.isEmpty()) {
            return mounting;
        }
        List<String> inspect = new ArrayList<>(List.of("docker", "inspect"));
        inspect.addAll(ids);
        Result result = run(inspect.toArray(String[]::new));
        if (result.code() != 0) {
            return mounting; // a container went away between the two calls: ask again
        }
        Path root = folder.toAbsolutePath().normalize();
        for (JsonNode container : JSON.readTree(result.out())) {
            for (JsonNode mount : container.path("Mounts")) {
                if (Path.of(mount.path("Source").asText("/")).normalize().startsWith(root)) {
                    mounting.add(container.path("Id").asText());
                    break;
                }
            }
        }
        return mounting;
    }

    public static boolean running(String containerId) throws IOException, InterruptedException {
        Result state = run("docker", "inspect", "--format", "{{.State.Running}}", containerId);
        return state.code() == 0 && state.out().strip().equals("true");
    }

    /** Starts a long container with {@code folder} mounted, as RD-Agent's qrun containers are. */
    public static String startMounting(Path folder) throws IOException, InterruptedException {
        Result started = run("docker", "run", "--detach", "--label", "rdagent-simulator=1",
                "--volume", folder.toAbsolutePath() + ":/workspace/qlib_workspace", IMAGE, "sleep", "600");
        if (started.code() != 0) {
            throw new IllegalStateException("docker run failed: " + started.err());
        }
        return started.out().strip();
    }

    /** Removes what a failed test left behind. */
    public static void removeMounting(Path folder) throws IOException, InterruptedException {
        for (String id : containersMounting(folder)) {
            run("docker", "rm", "--force", id);
        }
    }

    public record Result(int code, String out, String err) {
    }

    public static Result run(String... argv) throws IOException, InterruptedException {
        Path out = Files.createTempFile("docker", ".out");
        Path err = Files.createTempFile("docker", ".err");
        try {
            Process process = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", argv) + " timed out");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
