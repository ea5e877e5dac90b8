package com.aistock.rdagent.task;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import com.aistock.rdagent.config.TemplateKeyDiff;
import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.ApiParams;
import com.aistock.rdagent.system.JsonColumns;
import com.aistock.rdagent.system.SqlFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import org.apache.camel.Header;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Up to 50 runs side by side ({@code GET /tasks/compare?ids=…}): their metrics, and what differs between them —
 * task parameters (the request's fields, {@code env} by variable), the dataset and its version, and each
 * template's version with the keys that changed between the versions.
 */
@Component("taskComparison")
public class TaskComparison {

    public static final int MAX_RUNS = 50;
    /** Identity, not a setting: every run has its own. */
    private static final Set<String> NOT_COMPARED = Set.of("name");

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonColumns columns;
    private final TemplateKeyDiff templateKeys;

    public TaskComparison(NamedParameterJdbcTemplate jdbc, JsonColumns columns, TemplateKeyDiff templateKeys) {
        this.jdbc = jdbc;
        this.columns = columns;
        this.templateKeys = templateKeys;
    }

    public record DatasetRef(Long id, String name, Integer version) {
    }

    public record TemplateRef(String sha256, Long versionId) {
    }

    public record Run(long id, String name, TaskStatus status, String scenario, DatasetRef dataset, JsonNode metrics,
                      JsonNode params, Map<String, TemplateRef> templates, List<String> tags, boolean starred,
                      String note, OffsetDateTime createdAt, OffsetDateTime finishedAt) {
    }

    /** @param values run id → its value (null where the run has none) */
    public record ParamDifference(String key, Map<Long, JsonNode> values) {
    }

    /** @param changedKeys null when a version could not be read or rendered (the versions still differ) */
    public record TemplateDifference(String file, Map<Long, TemplateRef> versions, List<String> changedKeys) {
    }

    /** @param dataset whether the runs differ in dataset or its version (each run's is in {@link Run#dataset()}) */
    public record Differences(List<ParamDifference> params, boolean dataset, List<TemplateDifference> templates) {
    }

    public record Comparison(List<Run> runs, Differences differences) {
    }

    public Comparison compare(@Header("ids") String ids) {
        List<Run> runs = runs(ids(ids));
        return new Comparison(runs, new Differences(params(runs), datasets(runs), templates(runs)));
    }

    /** One task as a run: its dataset's name and version, and its templates' versions. */
    public Run run(long id) {
        return runs(List.of(id)).get(0);
    }

    private List<Run> runs(List<Long> wanted) {
        Map<Long, Run> found = new LinkedHashMap<>();
        jdbc.query(SqlFiles.load("task-compare"), Map.of("ids", wanted.toArray(Long[]::new)), rs -> {
            Long datasetId = rs.getObject("dataset_id", Long.class);
            long id = rs.getLong("id");
            found.put(id, new Run(id, rs.getString("name"), TaskStatus.valueOf(rs.getString("status")),
                    rs.getString("scenario"), datasetId == null ? null : new DatasetRef(datasetId,
                            rs.getString("dataset_name"), rs.getObject("dataset_version", Integer.class)),
                    columns.read(rs, "metrics"), columns.read(rs, "params"),
                    templates(columns.read(rs, "config_manifest")), List.of((String[]) rs.getArray("tags").getArray()),
                    rs.getBoolean("starred"), rs.getString("note"), rs.getObject("created_at", OffsetDateTime.class),
                    rs.getObject("finished_at", OffsetDateTime.class)));
        });
        List<Run> runs = new ArrayList<>();
        for (Long id : wanted) {
            Run run = found.get(id);
            if (run == null) {
                throw ApiException.notFound("no task " + id);
            }
            runs.add(run);
        }
        return runs;
    }

    /** Comma-separated task ids, 2 to 50 of them, in the order given; a repeat counts once. */
    static List<Long> ids(String text) {
        if (text == null || text.isBlank()) {
            throw ApiException.validation("ids", "give 2 to " + MAX_RUNS + " task ids, separated by commas");
        }
        Set<Long> ids = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            ids.add(ApiParams.id("ids", part));
        }
        if (ids.size() < 2 || ids.size() > MAX_RUNS) {
            throw ApiException.validation("ids", "give 2 to " + MAX_RUNS + " different task ids");
        }
        return List.copyOf(ids);
    }

    private static Map<String, TemplateRef> templates(JsonNode manifest) {
        Map<String, TemplateRef> templates = new LinkedHashMap<>();
        if (manifest != null) {
            for (Iterator<Map.Entry<String, JsonNode>> files = manifest.fields(); files.hasNext(); ) {
                Map.Entry<String, JsonNode> file = files.next();
                JsonNode version = file.getValue().path("version_id");
                templates.put(file.getKey(), new TemplateRef(file.getValue().path("sha256").asText(null),
                        version.isIntegralNumber() ? version.asLong() : null));
            }
        }
        return templates;
    }

    /** The request's fields, and {@code env} variable by variable, whose values are not the same in every run. */
    private static List<ParamDifference> params(List<Run> runs) {
        List<Map<String, JsonNode>> flat = runs.stream().map(run -> flatten(run.params())).toList();
        TreeSet<String> keys = new TreeSet<>();
        flat.forEach(params -> keys.addAll(params.keySet()));
        List<ParamDifference> differences = new ArrayList<>();
        for (String key : keys) {
            JsonNode first = flat.get(0).get(key);
            if (flat.stream().anyMatch(params -> !Objects.equals(params.get(key), first))) {
                Map<Long, JsonNode> values = new LinkedHashMap<>();
                for (int i = 0; i < runs.size(); i++) {
                    JsonNode value = flat.get(i).get(key);
                    values.put(runs.get(i).id(), value == null ? NullNode.getInstance() : value);
                }
                differences.add(new ParamDifference(key, values));
            }
        }
        return differences;
    }

    private static Map<String, JsonNode> flatten(JsonNode params) {
        Map<String, JsonNode> flat = new LinkedHashMap<>();
        if (params == null) {
            return flat;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = params.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (NOT_COMPARED.contains(field.getKey()) || field.getValue().isNull()) {
                continue;
            }
            if (field.getValue().isObject()) {
                field.getValue().fields().forEachRemaining(inner ->
                        flat.put(field.getKey() + "." + inner.getKey(), inner.getValue()));
            } else {
                flat.put(field.getKey(), field.getValue());
            }
        }
        return flat;
    }

    private static boolean datasets(List<Run> runs) {
        DatasetRef first = runs.get(0).dataset();
        return runs.stream().anyMatch(run -> !Objects.equals(run.dataset(), first));
    }

    private List<TemplateDifference> templates(List<Run> runs) {
        TreeSet<String> files = new TreeSet<>();
        runs.forEach(run -> files.addAll(run.templates().keySet()));
        List<TemplateDifference> differences = new ArrayList<>();
        for (String file : files) {
            Map<Long, TemplateRef> versions = new LinkedHashMap<>();
            Set<String> contents = new LinkedHashSet<>();
            for (Run run : runs) {
                TemplateRef ref = run.templates().get(file);
                versions.put(run.id(), ref);
                contents.add(ref == null ? null : ref.sha256());
            }
            if (contents.size() > 1) {
                List<String> changed = contents.contains(null) ? null
                        : templateKeys.changedKeys(contents).orElse(null);
                differences.add(new TemplateDifference(file, versions, changed));
            }
        }
        return differences;
    }
}
