package com.aistock.rdagent.task;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.aistock.rdagent.system.ApiException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The task bodies a {@code POST /batches} grid stands for: the base task with each combination of the axes' values
 * set on it (the cartesian product, first axis slowest). Each axis is a list; a value sets these task fields:
 * <ul>
 * <li>{@code dataset_ids}: a dataset version id → {@code dataset_ids: [id]}</li>
 * <li>{@code windows}: an object of some of {@code train_start} … {@code test_end}</li>
 * <li>{@code loop_n}: an integer</li>
 * <li>{@code model}: an object of some of {@code n_epochs}, {@code batch_size}, {@code n_jobs}</li>
 * <li>{@code source_history_ids}: a list of template version ids</li>
 * <li>{@code env}: an object NAME → list of values; each NAME is an axis setting {@code env.NAME}</li>
 * </ul>
 * Only the shape is checked here; every generated body then goes through the task validator.
 */
final class BatchGrid {

    static final int MAX_TASKS = 200;
    private static final Set<String> WINDOW_FIELDS = Set.of("train_start", "train_end", "valid_start", "valid_end",
            "test_start", "test_end");
    private static final Set<String> MODEL_FIELDS = Set.of("n_epochs", "batch_size", "n_jobs");
    private static final List<String> AXES = List.of("dataset_ids", "windows", "loop_n", "model", "source_history_ids",
            "env");

    /** One axis: per value, what it sets on a copy of the base. */
    private record Axis(List<Setter> values) {
    }

    private interface Setter {
        void apply(ObjectNode task);
    }

    private BatchGrid() {
    }

    /** The task bodies, or a 400 naming the grid field at fault (at most {@value MAX_TASKS} combinations). */
    static List<ObjectNode> expand(ObjectNode base, JsonNode grid) {
        if (grid == null || !grid.isObject()) {
            throw ApiException.validation("grid", "must be an object of axes: " + AXES);
        }
        List<Axis> axes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = grid.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            JsonNode values = entry.getValue();
            switch (name) {
                case "dataset_ids" -> axes.add(axis("grid.dataset_ids", values, v -> t -> t.putArray("dataset_ids").add(v)));
                case "loop_n" -> axes.add(axis("grid.loop_n", values, v -> t -> t.set("loop_n", v)));
                case "source_history_ids" -> axes.add(axis("grid.source_history_ids", values, v -> t -> {
                    t.remove("sourceHistoryId");
                    t.set("source_history_ids", v);
                }));
                case "windows" -> axes.add(axis("grid.windows", values, fields("grid.windows", WINDOW_FIELDS)));
                case "model" -> axes.add(axis("grid.model", values, fields("grid.model", MODEL_FIELDS)));
                case "env" -> {
                    if (!values.isObject() || values.isEmpty()) {
                        throw ApiException.validation("grid.env", "must be an object of NAME: [values]");
                    }
                    values.fields().forEachRemaining(variable -> axes.add(axis("grid.env." + variable.getKey(),
                            variable.getValue(), v -> t -> {
                                JsonNode env = t.get("env");
                                ObjectNode target = env instanceof ObjectNode object ? object : t.putObject("env");
                                target.set(variable.getKey(), v);
                            })));
                }
                default -> throw ApiException.validation("grid." + name, "unknown axis; axes are " + AXES);
            }
        }
        if (axes.isEmpty()) {
            throw ApiException.validation("grid", "must list values for at least one of " + AXES);
        }
        long count = 1;
        for (Axis axis : axes) {
            count *= axis.values().size();
            if (count > MAX_TASKS) {
                throw ApiException.validation("grid", "makes more than " + MAX_TASKS + " tasks");
            }
        }
        List<ObjectNode> tasks = new ArrayList<>();
        tasks.add(base.deepCopy());
        for (Axis axis : axes) {
            List<ObjectNode> next = new ArrayList<>();
            for (ObjectNode task : tasks) {
                for (Setter value : axis.values()) {
                    ObjectNode copy = task.deepCopy();
                    value.apply(copy);
                    next.add(copy);
                }
            }
            tasks = next;
        }
        return tasks;
    }

    private interface SetterFor {
        Setter of(JsonNode value);
    }

    private static Axis axis(String field, JsonNode values, SetterFor setter) {
        if (values == null || !values.isArray() || values.isEmpty()) {
            throw ApiException.validation(field, "must be a non-empty list");
        }
        List<Setter> setters = new ArrayList<>();
        values.forEach(value -> setters.add(setter.of(value)));
        return new Axis(setters);
    }

    /** An axis whose values are objects of some of {@code allowed}, each set on the task as given. */
    private static SetterFor fields(String field, Set<String> allowed) {
        return value -> {
            if (!value.isObject() || value.isEmpty()) {
                throw ApiException.validation(field, "each value must be an object of some of " + allowed.stream().sorted().toList());
            }
            value.fieldNames().forEachRemaining(name -> {
                if (!allowed.contains(name)) {
                    throw ApiException.validation(field, "'" + name + "' is not one of " + allowed.stream().sorted().toList());
                }
            });
            return task -> value.fields().forEachRemaining(entry -> task.set(entry.getKey(), entry.getValue()));
        };
    }
}
