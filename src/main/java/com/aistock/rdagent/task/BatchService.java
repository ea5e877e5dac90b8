package com.aistock.rdagent.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.JsonFields;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Batches: a grid of tasks created at once, then paused, resumed, limited or cancelled as one. */
@Service("batchService")
public class BatchService {

    private static final Set<String> FIELDS = Set.of("name", "base", "grid", "max_concurrent");
    private static final int MAX_CONCURRENT = 1000;

    private final TaskValidator validator;
    private final TaskService taskService;
    private final BatchStore batches;

    public BatchService(TaskValidator validator, TaskService taskService, BatchStore batches) {
        this.validator = validator;
        this.taskService = taskService;
        this.batches = batches;
    }

    /**
     * Every task of the grid is validated, its datasets and template versions checked and snapshotted before the
     * first row is written; all of them are stored in one transaction.
     */
    @Transactional
    public Batch create(String body, String operator) {
        JsonNode root = JsonFields.only(validator.tree(body), FIELDS);
        JsonNode base = root.get("base");
        if (base != null && !base.isNull() && !base.isObject()) {
            throw ApiException.validation("base", "must be a task as POST /tasks takes it");
        }
        ObjectNode baseTask = base instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode();
        if (baseTask.has("cloned_from")) {
            throw ApiException.validation("base.cloned_from", "a batch's tasks are not clones");
        }
        String name = JsonFields.text(root.get("name"), "name", 100);
        Integer maxConcurrent = maxConcurrent(root.get("max_concurrent"));
        List<TaskService.Planned> planned = new ArrayList<>();
        for (ObjectNode task : BatchGrid.expand(baseTask, root.get("grid"))) {
            planned.addAll(taskService.plan(validator.validate(task)));
            if (planned.size() > BatchGrid.MAX_TASKS) {
                throw ApiException.validation("grid", "makes more than " + BatchGrid.MAX_TASKS
                        + " tasks (the base's dataset_ids multiply it)");
            }
        }
        UUID id = batches.insert(name != null ? name : JsonFields.text(baseTask.get("name"), "name", 100),
                root.get("grid"), maxConcurrent, operator);
        taskService.store(planned, new TaskSubmission(null, "api", operator, null), id, null);
        return get(id);
    }

    public Batch get(UUID id) {
        return batches.find(id).orElseThrow(() -> ApiException.notFound("no batch " + id));
    }

    public BatchPage list(int page, int size) {
        return batches.page(page, size);
    }

    /** No new task of the batch starts; running ones go on. Idempotent. */
    public Batch pause(UUID id) {
        return move(id, "active", "paused");
    }

    public Batch resume(UUID id) {
        return move(id, "paused", "active");
    }

    /** Cancels every pending task and stops every running one, through each task's own cancel. Idempotent. */
    public Batch cancel(UUID id) {
        get(id);
        // from whatever state it is in now: a pause or resume of the same moment must not leave it active
        batches.cancel(id);
        for (long task : batches.unfinishedTasks(id)) {
            try {
                taskService.cancel(task);
            } catch (ApiException e) {
                // finished meanwhile: nothing left to stop
            }
        }
        return get(id);
    }

    public Batch limit(UUID id, JsonNode body) {
        get(id);
        if (body == null || !body.isObject() || !body.has("max_concurrent")) {
            throw ApiException.validation("max_concurrent", "give max_concurrent: a number from 1 to "
                    + MAX_CONCURRENT + ", or null for no limit");
        }
        batches.limit(id, maxConcurrent(body.get("max_concurrent")));
        return get(id);
    }

    private Batch move(UUID id, String from, String to) {
        Batch batch = get(id);
        if (batch.state().equals(to)) {
            return batch;
        }
        if (!batches.changeState(id, from, to)) {
            throw ApiException.conflict("batch " + id + " is " + get(id).state());
        }
        return get(id);
    }

    private static Integer maxConcurrent(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1
                || value.intValue() > MAX_CONCURRENT) {
            throw ApiException.validation("max_concurrent", "must be an integer from 1 to " + MAX_CONCURRENT);
        }
        return value.intValue();
    }
}
