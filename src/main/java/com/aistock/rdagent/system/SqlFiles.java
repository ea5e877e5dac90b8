package com.aistock.rdagent.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.core.io.ClassPathResource;

/** SQL lives in {@code src/main/resources/sql/<purpose>.sql}; this reads a statement once and keeps it. */
public final class SqlFiles {

    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private SqlFiles() {
    }

    public static String load(String purpose) {
        return CACHE.computeIfAbsent(purpose, name -> {
            try {
                return new ClassPathResource("sql/" + name + ".sql").getContentAsString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("Missing SQL file sql/" + name + ".sql", e);
            }
        });
    }
}
