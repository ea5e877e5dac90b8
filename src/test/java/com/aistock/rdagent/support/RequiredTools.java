package com.aistock.rdagent.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine beyond the JDK: Debian's chromium and chromedriver, Debian's python3 with a
 * module, the real RD-Agent files in {@code ../shared}. Where one is missing the test is skipped, saying why; under
 * {@code CI=true} it fails instead, because CI installs them all ({@code .ci/run}) and a skip there would hide a test
 * that never ran.
 */
public final class RequiredTools {

    /** Debian's python3, which has pandas, python-dotenv, jinja2 and ruamel.yaml (the one on PATH may not). */
    public static final String PYTHON = "/usr/bin/python3";
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private RequiredTools() {
    }

    /** Skips (fails under CI=true) the calling test, with {@code reason}, unless {@code present}. */
    public static void require(boolean present, String reason) {
        if (present) {
            return;
        }
        System.out.println("Missing: " + reason);
        if (onCi()) {
            Assertions.fail(reason + " (CI=true: a missing tool fails the build; .ci/run installs it)");
        }
        Assumptions.abort(reason + ": skipped");
    }

    public static void chromium() {
        require(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium or chromedriver is missing (apt-get install chromium chromium-driver)");
    }

    /** Debian's python3 importing every one of {@code modules}. */
    public static void pythonModules(String... modules) {
        List<String> missing = new ArrayList<>();
        for (String module : modules) {
            if (!imports(module)) {
                missing.add(module);
            }
        }
        require(missing.isEmpty(), PYTHON + " cannot import " + String.join(", ", missing)
                + " (apt-get install python3-pandas python3-dotenv python3-jinja2 python3-ruamel.yaml)");
    }

    /** A folder of shared fixtures outside the project ({@code ../shared}), read in place. */
    public static Path sharedFolder(Path folder) {
        require(Files.isDirectory(folder), "shared fixtures not found at " + folder + " (../shared is absent)");
        return folder;
    }

    static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static boolean imports(String module) {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return false;
        }
        try {
            Process process = new ProcessBuilder(PYTHON, "-c", "import " + module)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
