package com.aistock.rdagent.dataset;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What changed in a stock pool between two versions: symbols added, symbols removed, and symbols in both whose
 * periods differ. Read from the two normalised instruments files, so it is exactly what the runs were given.
 */
public record VersionDiff(String name, String market, Side from, Side to, List<String> added, List<String> removed,
                          List<Changed> changed) {

    /** One of the two versions compared. */
    public record Side(long id, int version, int symbolCount, boolean deleted) {

        static Side of(Dataset dataset) {
            return new Side(dataset.id(), dataset.version(), dataset.symbolCount(), dataset.deleted());
        }
    }

    public record Period(LocalDate start, LocalDate end) {
    }

    /** A symbol in both versions with other periods. */
    public record Changed(String symbol, List<Period> from, List<Period> to) {
    }

    static VersionDiff between(Dataset from, Path fromFile, Dataset to, Path toFile) throws IOException {
        Map<String, List<Period>> before = periods(fromFile);
        Map<String, List<Period>> after = periods(toFile);
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<Changed> changed = new ArrayList<>();
        Set<String> symbols = new TreeSet<>(before.keySet());
        symbols.addAll(after.keySet());
        for (String symbol : symbols) {
            List<Period> was = before.get(symbol);
            List<Period> is = after.get(symbol);
            if (was == null) {
                added.add(symbol);
            } else if (is == null) {
                removed.add(symbol);
            } else if (!was.equals(is)) {
                changed.add(new Changed(symbol, was, is));
            }
        }
        return new VersionDiff(to.name(), to.market(), Side.of(from), Side.of(to), added, removed, changed);
    }

    /** Symbol → its periods in file order, from a normalised file (UTF-8, {@code SYMBOL<TAB>start<TAB>end}). */
    private static Map<String, List<Period>> periods(Path file) throws IOException {
        Map<String, List<Period>> periods = new TreeMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                String[] columns = line.split("\t");
                if (columns.length == 3) {
                    periods.computeIfAbsent(columns[0], symbol -> new ArrayList<>())
                            .add(new Period(LocalDate.parse(columns[1]), LocalDate.parse(columns[2])));
                }
            }
        }
        return periods;
    }
}
