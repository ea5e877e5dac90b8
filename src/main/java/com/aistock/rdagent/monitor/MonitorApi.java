package com.aistock.rdagent.monitor;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.aistock.rdagent.run.LoopStore;
import com.aistock.rdagent.run.TaskLoop;
import com.aistock.rdagent.system.ApiParams;
import com.aistock.rdagent.task.Task;
import com.aistock.rdagent.task.TaskService;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** Per-loop results and the equity curve of a task. */
@Component("monitorApi")
public class MonitorApi {

    static final int MAX_POINTS = 2000;

    private final TaskService tasks;
    private final LoopStore loops;

    public MonitorApi(TaskService tasks, LoopStore loops) {
        this.tasks = tasks;
        this.loops = loops;
    }

    public List<TaskLoop> loops(@Header("id") String id) {
        return loops.list(tasks.get(ApiParams.id("id", id)).id());
    }

    public Report report(@Header("id") String id) throws IOException {
        Task task = tasks.get(ApiParams.id("id", id));
        List<String> warnings = new ArrayList<>();
        if (task.warnings() != null) {
            task.warnings().forEach(w -> warnings.add(w.asText()));
        }
        JsonNode best = task.metrics() == null ? null : task.metrics().path("best");
        if (best == null || best.isMissingNode() || task.archivePath() == null) {
            return new Report(task.id(), null, 0, List.of(), warnings);
        }
        String experiment = best.path("name").asText();
        Path csv = Path.of(task.archivePath(), "results", experiment + "_ret.csv");
        if (!Files.exists(csv)) {
            return new Report(task.id(), experiment, 0, List.of(), warnings);
        }
        List<EquityPoint> points = read(csv);
        return new Report(task.id(), experiment, points.size(), downsample(points), warnings);
    }

    /** pandas' {@code to_csv} of Qlib's report: {@code datetime,account,return,…,cost,…,bench}. */
    static List<EquityPoint> read(Path csv) throws IOException {
        List<EquityPoint> points = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String headerLine = reader.readLine();
            if (headerLine == null) {
                return points;
            }
            List<String> header = Arrays.asList(headerLine.split(",", -1));
            int account = header.indexOf("account");
            int returns = header.indexOf("return");
            int cost = header.indexOf("cost");
            int bench = header.indexOf("bench");
            double excess = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                String[] cells = line.split(",", -1);
                Double r = number(cells, returns);
                Double b = number(cells, bench);
                Double c = number(cells, cost);
                if (r != null && b != null) {
                    excess += r - b - (c == null ? 0 : c);
                }
                points.add(new EquityPoint(cells[0], number(cells, account), r, b, excess));
            }
        }
        return points;
    }

    static List<EquityPoint> downsample(List<EquityPoint> points) {
        if (points.size() <= MAX_POINTS) {
            return points;
        }
        int stride = (int) Math.ceil(points.size() / (double) (MAX_POINTS - 1));
        List<EquityPoint> sampled = new ArrayList<>();
        for (int i = 0; i < points.size(); i += stride) {
            sampled.add(points.get(i));
        }
        if (sampled.get(sampled.size() - 1) != points.get(points.size() - 1)) {
            sampled.add(points.get(points.size() - 1));
        }
        return sampled;
    }

    private static Double number(String[] cells, int index) {
        if (index < 0 || index >= cells.length || cells[index].isBlank()) {
            return null;
        }
        try {
            double value = Double.parseDouble(cells[index]);
            return Double.isFinite(value) ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
