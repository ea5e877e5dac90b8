package com.aistock.rdagent.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Secret values known to the test suite, and every API answer that contained one. {@link Api} checks each answer as
 * it arrives and registers, as they go by, the secrets tests set through the API: passwords of created users,
 * token secrets, and .env values whose key names a secret (KEY, SECRET, TOKEN, PASSWORD). A test that puts a secret
 * anywhere else registers it itself. {@link #scan} then looks for all of them in the files the suite left behind.
 */
public final class SecretWatch {

    /** Shorter values would match by chance. */
    private static final int MIN_LENGTH = 8;
    private static final Pattern SECRET_KEY = Pattern.compile("KEY|SECRET|TOKEN|PASSWORD");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    static {
        SECRETS.add("sk-demo-not-a-real-key");
        SECRETS.add(Api.ADMIN_PASSWORD);
        SECRETS.add(IntegrationTest.CALLBACK_SECRET);
    }

    private SecretWatch() {
    }

    /** A test that puts a secret value anywhere the API does not see it names it here. */
    public static void register(String secret) {
        if (secret != null && secret.length() >= MIN_LENGTH) {
            SECRETS.add(secret);
        }
    }

    public static Set<String> secrets() {
        return Set.copyOf(SECRETS);
    }

    public static List<String> leaks() {
        return List.copyOf(LEAKS);
    }

    /** A notification channel's secret fields: webhook URLs (with the robot's token), signing secrets, keys, passwords. */
    private static final List<String> CHANNEL_SECRETS = List.of("webhook", "secret", "key", "password", "url");

    /**
     * The secrets a request body sets: a new user's password, the secret entries of an .env write, a notification
     * channel's webhook URL, signing secret, key or SMTP password.
     */
    static void registerSent(String method, String path, String body) {
        boolean channel = path.startsWith("/api/rdagent/channels");
        if (body == null || body.isBlank() || !(path.equals("/api/rdagent/users") || path.equals("/api/rdagent/env") || channel)) {
            return;
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException notJson) {
            return; // a malformed body sets nothing
        }
        if (channel) {
            CHANNEL_SECRETS.forEach(field -> {
                boolean shown = field.equals("url") && json.path("type").asText().equals("wecom"); // WeCom's base URL
                if (!shown && json.path(field).isTextual() && !json.path(field).asText().contains("******")) {
                    register(json.path(field).asText());
                }
            });
        } else if (method.equals("POST") && path.equals("/api/rdagent/users")) {
            register(json.path("password").asText(null));
        } else if (method.equals("PUT")) {
            for (Map.Entry<String, JsonNode> entry : json.path("entries").properties()) {
                if (SECRET_KEY.matcher(entry.getKey()).find() && entry.getValue().isTextual()) {
                    register(entry.getValue().asText());
                }
            }
        }
    }

    /** Checks an answer for every known secret, then registers the one a new token's answer shows (once, by design). */
    static void check(String method, String path, int status, String body) {
        if (body == null) {
            return;
        }
        for (String secret : SECRETS) {
            if (body.contains(secret)) {
                LEAKS.add(method + " " + path + " answered a secret value");
            }
        }
        if (method.equals("POST") && path.equals("/api/rdagent/tokens") && status == 201) {
            try {
                register(JSON.readTree(body).path("secret").asText(null));
            } catch (IOException notJson) {
                throw new UncheckedIOException(notJson);
            }
        }
    }

    /** What a scan read, and the files in which it found a secret value. */
    public record Scan(int files, List<Path> roots, List<String> found) {
    }

    /**
     * Reads every file under {@code roots} (of them, those changed since this JVM started: the folders of earlier
     * builds are not this run's) except those that hold secrets on purpose, and names each one holding a known
     * secret value. Logs can be a GiB: secrets would sit in their first lines (settings), so 16 MiB of each is read.
     */
    public static Scan scan(List<Path> roots) throws IOException {
        FileTime started = FileTime.fromMillis(ManagementFactory.getRuntimeMXBean().getStartTime());
        Set<String> secrets = secrets();
        List<Path> scanned = new ArrayList<>();
        List<String> found = new ArrayList<>();
        int files = 0;
        for (Path root : roots) {
            if (!Files.exists(root) || Files.getLastModifiedTime(root).compareTo(started) < 0) {
                continue;
            }
            scanned.add(root);
            try (Stream<Path> paths = Files.walk(root)) {
                for (Iterator<Path> it = paths.iterator(); it.hasNext(); ) {
                    Path file = it.next();
                    if (!Files.isRegularFile(file) || holdsSecretsOnPurpose(file)) {
                        continue;
                    }
                    files++;
                    String text = new String(head(file), StandardCharsets.ISO_8859_1);
                    secrets.stream().filter(text::contains).findFirst().ifPresent(secret -> found.add(file.toString()));
                }
            }
        }
        return new Scan(files, scanned, found);
    }

    /**
     * RD-Agent needs the keys: the live .env, its backups in history/ and each run's workspace .env hold them,
     * readable by their owner only; ret.pkl is binary; PostgreSQL's own files hold what the service stores.
     */
    private static boolean holdsSecretsOnPurpose(Path file) {
        String path = file.toString();
        String name = file.getFileName().toString();
        boolean liveEnv = name.equals(".env") && path.contains("/data/demo-rdagent/");
        boolean envBackup = path.contains("/history/") && name.endsWith(".env");
        boolean runEnv = name.equals(".env") && path.contains("/work/tasks/");
        boolean generatedAdminPassword = name.equals("initial-admin-password");
        boolean database = path.contains("/pg/");
        return liveEnv || envBackup || runEnv || generatedAdminPassword || database || name.endsWith(".pkl");
    }

    private static byte[] head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(16 << 20);
        }
    }
}
