package com.aistock.rdagent.monitor;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.aistock.rdagent.run.Experiment;
import com.aistock.rdagent.run.ExperimentFiles;
import com.aistock.rdagent.run.LoopStore;
import com.aistock.rdagent.run.TaskLoop;
import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.ApiParams;
import com.aistock.rdagent.task.Task;
import com.aistock.rdagent.task.TaskService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** Per-loop results, one loop in detail, and the equity curve of any experiment of a task. */
@Component("monitorApi")
public class MonitorApi {

    static final int MAX_POINTS = 2000;

    private final TaskService tasks;
    private final LoopStore loops;
    private final ExperimentFiles files;
    private final ObjectMapper objectMapper;

    public MonitorApi(TaskService tasks, LoopStore loops, ExperimentFiles files, ObjectMapper objectMapper) {
        this.tasks = tasks;
        this.loops = loops;
        this.files = files;
        this.objectMapper = objectMapper;
    }

    public List<TaskLoop> loops(@Header("id") String id) {
        return loops.list(tasks.get(ApiParams.id("id", id)).id());
    }

    public LoopDetail loop(@Header("id") String id, @Header("loop") String loopNumber) throws IOException {
        Task task = tasks.get(ApiParams.id("id", id));
        int number = ApiParams.number("loop", loopNumber, -1, 0, 1_000_000);
        LoopStore.Detail detail = loops.detail(task.id(), number)
                .orElseThrow(() -> ApiException.notFound("task " + task.id() + " has no loop " + number));
        TaskLoop loop = detail.loop();
        ArrayNode experiments = objectMapper.createArrayNode();
        if (loop.experiments() != null) {
            for (JsonNode item : loop.experiments()) {
                ObjectNode experiment = item.deepCopy();
                String name = item.path("name").asText();
                experiment.set("files", objectMapper.valueToTree(files.list(task, name)));
                if (!item.path("curve").asBoolean()) {
                    experiment.put("curve_missing", files.missingCurve(task, name));
                }
                experiments.add(experiment);
            }
        }
        return new LoopDetail(loop.loop(), loop.hypothesis(), loop.reason(), loop.tasks(), detail.codes(),
                loop.metrics(), loop.decision(), loop.decisionReason(), detail.feedback(), experiments,
                loop.startedAt(), loop.updatedAt());
    }

    /**
     * The curve of {@code experiment}, or of {@code loop}'s own experiment, or by default of the task's SOTA (the
     * last accepted loop); with the reason when there is none.
     */
    public Report report(@Header("id") String id, @Header("loop") String loopNumber,
                         @Header("experiment") String experimentName) throws IOException {
        Task task = tasks.get(ApiParams.id("id", id));
        List<String> warnings = new ArrayList<>();
        if (task.warnings() != null) {
            task.warnings().forEach(w -> warnings.add(w.asText()));
        }
        Integer loop = null;
        String experiment = experimentName == null || experimentName.isBlank() ? null : experimentName.strip();
        if (experiment == null && loopNumber != null && !loopNumber.isBlank()) {
            loop = ApiParams.number("loop", loopNumber, -1, 0, 1_000_000);
            experiment = ownExperiment(task.id(), loop);
            if (experiment == null) {
                return new Report(task.id(), loop, null, 0, List.of(), warnings,
                        "loop " + loop + " has no experiment results (RD-Agent wrote no qlib_res.csv for it)");
            }
        } else if (experiment == null) {
            JsonNode sota = task.metrics() == null ? null : task.metrics().path("sota");
            if (sota == null || !sota.isObject()) {
                return new Report(task.id(), null, null, 0, List.of(), warnings, task.metrics() == null
                        ? "no experiment results yet" : "RD-Agent has accepted no loop yet: choose a loop to see its curve");
            }
            experiment = sota.path("experiment").asText();
            loop = sota.path("loop").isInt() ? sota.path("loop").asInt() : null;
        }
        Optional<Path> csv = files.curve(task, experiment);
        if (csv.isEmpty()) {
            return new Report(task.id(), loop, experiment, 0, List.of(), warnings, files.missingCurve(task, experiment));
        }
        List<EquityPoint> points = read(csv.get());
        return new Report(task.id(), loop, experiment, points.size(), downsample(points), warnings,
                points.isEmpty() ? "the experiment's ret.csv holds no rows" : null);
    }

    /** A loop's own experiment: its last one that is not RD-Agent's baseline (or the baseline when alone). */
    private String ownExperiment(long taskId, int loop) {
        return loops.detail(taskId, loop).map(LoopStore.Detail::loop).map(TaskLoop::experiments)
                .map(experiments -> {
                    String own = null;
                    for (JsonNode experiment : experiments) {
                        if (own == null || !Experiment.BASELINE.equals(experiment.path("kind").asText())) {
                            own = experiment.path("name").asText();
                        }
                    }
                    return own;
                }).orElse(null);
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
