package com.aistock.rdagent.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * This node's id when {@code scheduler.node.id} is not set: generated once as {@code <host>-<random>} and kept in
 * {@code data/node-id}, so a restart on another port or under another host name is the same node and finds its
 * runs again. The id is offered as the lowest-precedence value of {@code scheduler.node.id}, read from the file
 * when first asked for (by then the base folder is known, test properties included).
 */
public class NodeIdentity implements EnvironmentPostProcessor {

    static final String PROPERTY = "scheduler.node.id";
    static final String FILE = "node-id";
    private static final Map<Path, String> KNOWN = new ConcurrentHashMap<>();

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        // the environment is not the source: Spring Boot would walk into it as a nested set of property sources
        environment.getPropertySources().addLast(new PropertySource<>("generated-node-id", FILE) {
            @Override
            public Object getProperty(String name) {
                return PROPERTY.equals(name) ? keptIn(dataFolder(environment)) : null;
            }
        });
    }

    /** {@code scheduler.data-dir} against {@code scheduler.base-dir}, as {@link SchedulerProperties} resolves them. */
    private static Path dataFolder(Environment environment) {
        Path base = Path.of(environment.getProperty("scheduler.base-dir", ".")).toAbsolutePath().normalize();
        return base.resolve(environment.getProperty("scheduler.data-dir", "data")).toAbsolutePath().normalize();
    }

    /** The id kept in {@code data/node-id}, written on first use; two starts racing for it read the same one. */
    public static String keptIn(Path data) {
        return KNOWN.computeIfAbsent(data, folder -> {
            Path file = folder.resolve(FILE);
            try {
                if (!Files.exists(file)) {
                    Files.createDirectories(folder);
                    Path draft = Files.createTempFile(folder, ".node-id", ".tmp");
                    try {
                        Files.writeString(draft, generate() + "\n", StandardCharsets.UTF_8);
                        Files.createLink(file, draft);
                    } catch (FileAlreadyExistsException taken) {
                        // another start wrote it first: that one is the id
                    } finally {
                        Files.deleteIfExists(draft);
                    }
                }
                String id = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (id.isEmpty()) {
                    throw new IllegalStateException(file + " is empty: delete it to generate a new node id");
                }
                return id;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot keep the node id in " + file, e);
            }
        });
    }

    static String generate() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "node";
        }
        host = host.replaceAll("[^A-Za-z0-9.-]+", "-");
        host = host.length() > 60 ? host.substring(0, 60) : host;
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        return host + "-" + HexFormat.of().formatHex(random);
    }
}
