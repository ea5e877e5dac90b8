package com.aistock.rdagent.support;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Secret values known to the test suite (the demo .env's key, the admin password, and any a test writes), and
 * every API answer that contained one. {@link Api} checks each answer as it arrives.
 */
public final class SecretWatch {

    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    static {
        SECRETS.add("sk-demo-not-a-real-key");
        SECRETS.add(Api.ADMIN_PASSWORD);
    }

    private SecretWatch() {
    }

    /** A test that writes a secret value names it here, so every later answer is checked for it too. */
    public static void register(String secret) {
        if (secret != null && secret.length() >= 8) {
            SECRETS.add(secret);
        }
    }

    public static Set<String> secrets() {
        return Set.copyOf(SECRETS);
    }

    static void check(String request, String body) {
        if (body == null) {
            return;
        }
        for (String secret : SECRETS) {
            if (body.contains(secret)) {
                LEAKS.add(request + " answered a secret value");
            }
        }
    }

    public static List<String> leaks() {
        return List.copyOf(LEAKS);
    }
}
