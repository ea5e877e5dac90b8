package com.aistock.rdagent.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The one writer of {@code target/bench/results.md} and {@code results.json}. Every benchmark adds its figures
 * here; both files are rewritten after each one, so a run that breaks half-way still leaves what it measured. The
 * files start empty in every benchmark JVM: no figure of an earlier run survives.
 */
final class BenchResults {

    static final Path FOLDER = Path.of("target", "bench");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<Figure> FIGURES = new ArrayList<>();
    private static final OffsetDateTime STARTED = OffsetDateTime.now();

    private BenchResults() {
    }

    /**
     * One measured figure beside its baseline from the same machine and run.
     *
     * @param order    place in the table (the README's order)
     * @param ratio    figure ÷ baseline, both as rates or both as times (said in {@code ratioMeans})
     * @param met      whether the target is met; null when there is no figure to judge
     */
    record Figure(int order, String id, String title, Double value, String unit, Double baseline, String baselineOf,
                  Double ratio, String ratioMeans, String target, Boolean met, String notes) {
    }

    static synchronized void add(Figure figure) {
        FIGURES.removeIf(f -> f.id().equals(figure.id()));
        FIGURES.add(figure);
        FIGURES.sort(Comparator.comparingInt(Figure::order).thenComparing(Figure::id));
        write();
    }

    static void notMeasured(int order, String id, String title, String target, String why) {
        add(new Figure(order, id, title, null, null, null, null, null, null, target, null, why));
    }

    private static void write() {
        try {
            Files.createDirectories(FOLDER);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("started_at", STARTED.toString());
            json.put("machine", machine());
            json.put("figures", FIGURES);
            Files.writeString(FOLDER.resolve("results.json"), JSON.writeValueAsString(json));
            Files.writeString(FOLDER.resolve("results.md"), markdown());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String markdown() {
        StringBuilder md = new StringBuilder("# Benchmarks\n\n")
                .append("`./mvnw -Pbench verify`, started ").append(STARTED).append(" on ").append(machine()).append(".\n\n")
                .append("| figure | value | baseline | ratio | target | met |\n")
                .append("| --- | --- | --- | --- | --- | --- |\n");
        for (Figure f : FIGURES) {
            md.append("| ").append(f.title())
                    .append(" | ").append(f.value() == null ? "—" : number(f.value()) + " " + f.unit())
                    .append(" | ").append(f.baseline() == null ? (f.baselineOf() == null ? "—" : f.baselineOf())
                            : number(f.baseline()) + " " + f.unit() + " (" + f.baselineOf() + ")")
                    .append(" | ").append(f.ratio() == null ? "—" : String.format(Locale.ROOT, "%.2f", f.ratio())
                            + (f.ratioMeans() == null ? "" : " " + f.ratioMeans()))
                    .append(" | ").append(f.target())
                    .append(" | ").append(f.met() == null ? "—" : f.met() ? "yes" : "**no**")
                    .append(" |\n");
        }
        md.append("\nNotes:\n\n");
        for (Figure f : FIGURES) {
            if (f.notes() != null) {
                md.append("- **").append(f.title()).append("**: ").append(f.notes()).append('\n');
            }
        }
        return md.toString();
    }

    private static String number(double value) {
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version");
    }

    /** The p-th percentile (nearest rank) of {@code values}. */
    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.naturalOrder());
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
