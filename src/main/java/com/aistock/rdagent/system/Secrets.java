package com.aistock.rdagent.system;

import java.util.Locale;

/** The one place that decides what is secret and how it shows; {@code config.Dotenv} masks .env text with it. */
public final class Secrets {

    public static final String MASK = "******";

    private Secrets() {
    }

    /** Names containing KEY, SECRET, TOKEN or PASSWORD hold secrets. */
    public static boolean isSecret(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return upper.contains("KEY") || upper.contains("SECRET") || upper.contains("TOKEN") || upper.contains("PASSWORD");
    }
}
