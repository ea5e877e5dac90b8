package com.aistock.rdagent.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code qlib_res.csv}: a pandas Series written by {@code to_csv}, so a {@code ,0} header and then
 * {@code name,value} lines. Metric names hold spaces but no commas.
 */
final class QlibResults {

    private QlibResults() {
    }

    /** The finite metrics of one file; NaN, inf and unparsable values are left out. */
    static Map<String, Double> parse(Path csv) throws IOException {
        Map<String, Double> metrics = new LinkedHashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String line = reader.readLine();
            if (line == null || !line.strip().equals(",0")) {
                return metrics;
            }
            while ((line = reader.readLine()) != null) {
                int comma = line.lastIndexOf(',');
                if (comma <= 0) {
                    continue;
                }
                try {
                    double value = Double.parseDouble(line.substring(comma + 1).strip());
                    if (Double.isFinite(value)) {
                        metrics.put(line.substring(0, comma).strip(), value);
                    }
                } catch (NumberFormatException notANumber) {
                    // a malformed line says nothing about the run; the others still count
                }
            }
        }
        return metrics;
    }
}
