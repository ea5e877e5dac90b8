package com.aistock.rdagent.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code qlib_res.csv}: a pandas Series written by {@code to_csv}, so a {@code ,0} header and then
 * {@code name,value} lines. Metric names hold spaces but no commas.
 *
 * @param metrics   the finite values, in file order
 * @param nonFinite the names whose value was NaN or infinite (pandas writes {@code nan}, {@code inf}, or nothing)
 */
record QlibResults(Map<String, Double> metrics, List<String> nonFinite) {

    static QlibResults parse(Path csv) throws IOException {
        Map<String, Double> metrics = new LinkedHashMap<>();
        List<String> nonFinite = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String line = reader.readLine();
            if (line == null || !line.strip().equals(",0")) {
                return new QlibResults(metrics, nonFinite);
            }
            while ((line = reader.readLine()) != null) {
                int comma = line.lastIndexOf(',');
                if (comma <= 0) {
                    continue;
                }
                String name = line.substring(0, comma).strip();
                String text = line.substring(comma + 1).strip();
                try {
                    double value = notANumber(text) ? Double.NaN : parse(text);
                    if (Double.isFinite(value)) {
                        metrics.put(name, value);
                    } else {
                        nonFinite.add(name);
                    }
                } catch (NumberFormatException notANumber) {
                    // a malformed line says nothing about the run; the others still count
                }
            }
        }
        return new QlibResults(metrics, nonFinite);
    }

    /** pandas writes NaN as nothing (its na_rep), Python's repr as nan; Java parses only NaN and Infinity. */
    private static boolean notANumber(String text) {
        return text.isEmpty() || text.equalsIgnoreCase("nan");
    }

    private static double parse(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        return switch (lower) {
            case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    boolean isEmpty() {
        return metrics.isEmpty() && nonFinite.isEmpty();
    }
}
