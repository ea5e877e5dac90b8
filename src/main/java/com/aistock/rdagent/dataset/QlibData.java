package com.aistock.rdagent.dataset;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where things live in a Qlib data folder ({@code provider_uri}), and what a stock pool is checked against there. */
final class QlibData {

    static final String ALL = "all";
    /** {@code 600000.SH}: the code first, the exchange after a dot (Wind, Tushare). */
    private static final Pattern SUFFIXED = Pattern.compile("(\\d{6})\\.([A-Za-z]{2})");

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

    /** The symbols of {@code instruments/all.txt}: the whole universe of the data, each in the data's spelling. */
    static Symbols symbols(Path folder) throws IOException {
        Map<String, String> byKey = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(instruments(folder, ALL), StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                String symbol = line.strip().split("[\\t ]", 2)[0];
                if (!symbol.isEmpty() && !symbol.startsWith("#")) {
                    byKey.putIfAbsent(Symbols.key(symbol), symbol);
                }
            }
        }
        return new Symbols(byKey);
    }

    /** Symbols found by any common spelling: {@code SH600000}, {@code sh600000} and {@code 600000.SH} are one. */
    record Symbols(Map<String, String> byKey) {

        /** The spelling-free form: upper case, exchange first ({@code SH600000}). */
        static String key(String symbol) {
            Matcher suffixed = SUFFIXED.matcher(symbol);
            String key = suffixed.matches() ? suffixed.group(2) + suffixed.group(1) : symbol;
            return key.toUpperCase(Locale.ROOT);
        }

        boolean contains(String key) {
            return byKey.containsKey(key);
        }

        /** How the data spells the symbol, or its key when the data does not know it. */
        String spelling(String key) {
            return byKey.getOrDefault(key, key);
        }
    }
}
