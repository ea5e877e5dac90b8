package com.aistock.rdagent.dataset;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** Where things live in a Qlib data folder ({@code provider_uri}). */
final class QlibData {

    private QlibData() {
    }

    /** Qlib expands {@code ~} itself; so do we. */
    static Path folder(String providerUri) {
        String expanded = providerUri.equals("~") || providerUri.startsWith("~/")
                ? System.getProperty("user.home") + providerUri.substring(1) : providerUri;
        return Path.of(expanded).toAbsolutePath().normalize();
    }

    static Path instruments(Path folder, String market) {
        return folder.resolve("instruments").resolve(market + ".txt");
    }

    /** The first and last trading day of {@code calendars/day.txt}, or null when there is no usable calendar. */
    static InstrumentsParser.DateRange calendar(Path folder) {
        Path days = folder.resolve("calendars").resolve("day.txt");
        if (!Files.isRegularFile(days)) {
            return null;
        }
        String first = null;
        String last = null;
        try (BufferedReader in = Files.newBufferedReader(days, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.isBlank()) {
                    first = first == null ? line.strip() : first;
                    last = line.strip();
                }
            }
            return first == null ? null : new InstrumentsParser.DateRange(LocalDate.parse(first), LocalDate.parse(last));
        } catch (IOException | DateTimeParseException e) {
            return null;
        }
    }
}
