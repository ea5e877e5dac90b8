package com.aistock.rdagent.system;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Where RD-Agent lives and how it is started. With {@code RDAGENT_HOME} unset the service runs in demo mode: the
 * bundled simulator and sample templates are laid out under {@code data/demo-rdagent/}, which then is the home the
 * config center edits.
 */
@Component
public class RdAgentInstallation {

    private static final Logger log = LoggerFactory.getLogger(RdAgentInstallation.class);
    private static final String DEMO_HOME = "demo/rdagent-home/";
    private static final String DEMO_QLIB = "demo/qlib_data/";
    private static final String DEMO_QLIB_TOKEN = "@DEMO_QLIB_DATA@";

    private final boolean demo;
    private final Path home;
    private final String command;
    private final String python;

    public RdAgentInstallation(SchedulerProperties properties) throws IOException {
        SchedulerProperties.RdAgent rdagent = properties.rdagent();
        this.demo = rdagent.home() == null || rdagent.home().isBlank();
        this.python = rdagent.python();
        if (demo) {
            this.home = properties.data().resolve("demo-rdagent");
            Path qlibData = properties.data().resolve("demo-qlib");
            installDemo(home, qlibData);
            this.command = home.resolve("bin/rdagent").toString();
            log.warn("""

                    ================================================================
                     DEMO MODE: RDAGENT_HOME is not set.
                     Tasks run the bundled RD-Agent simulator, not real RD-Agent.
                     RDAGENT_HOME (demo copy): {}
                    ================================================================""", home);
        } else {
            this.home = Path.of(rdagent.home()).toAbsolutePath().normalize();
            this.command = rdagent.command();
            log.info("RD-Agent home {}, command {}", home, command);
        }
    }

    public boolean demo() {
        return demo;
    }

    public Path home() {
        return home;
    }

    public String command() {
        return command;
    }

    public String python() {
        return python;
    }

    /**
     * Code is refreshed on every start so an upgrade brings the new simulator; templates, prompts and .env are
     * copied only once, because from then on they are the user's, edited through the config center.
     */
    private static void installDemo(Path home, Path qlibData) throws IOException {
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
        for (Resource resource : resolver.getResources("classpath*:" + DEMO_HOME + "**")) {
            String relative = relativePath(resource, DEMO_HOME);
            if (relative == null) {
                continue;
            }
            Path target = home.resolve(relative);
            boolean code = relative.endsWith(".py") || relative.startsWith("bin/");
            if (!code && Files.exists(target)) {
                continue;
            }
            Files.createDirectories(target.getParent());
            try (InputStream in = resource.getInputStream()) {
                if (relative.endsWith(".yaml")) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                            .replace(DEMO_QLIB_TOKEN, qlibData.resolve("cn_data").toString());
                    Files.writeString(target, text);
                } else {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (relative.startsWith("bin/")) {
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        for (Resource resource : resolver.getResources("classpath*:" + DEMO_QLIB + "**")) {
            String relative = relativePath(resource, DEMO_QLIB);
            if (relative != null && !Files.exists(qlibData.resolve(relative))) {
                Files.createDirectories(qlibData.resolve(relative).getParent());
                try (InputStream in = resource.getInputStream()) {
                    Files.copy(in, qlibData.resolve(relative));
                }
            }
        }
        if (Files.exists(home.resolve(".env"))) {
            Files.setPosixFilePermissions(home.resolve(".env"), PosixFilePermissions.fromString("rw-------"));
        }
    }

    /** The resource's path below {@code prefix}, or null for folders. */
    private static String relativePath(Resource resource, String prefix) throws IOException {
        String url = resource.getURL().toString();
        int at = url.lastIndexOf(prefix);
        if (at < 0 || url.endsWith("/") || !resource.isReadable()) {
            return null;
        }
        String relative = url.substring(at + prefix.length());
        return relative.isEmpty() || relative.contains("__pycache__") ? null : relative;
    }
}
