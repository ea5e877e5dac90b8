package com.aistock.rdagent.task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.aistock.rdagent.config.TemplateEdits;
import com.aistock.rdagent.config.TemplateSnapshot;
import com.aistock.rdagent.config.TemplateSnapshots;
import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.SchedulerProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creating, finding and cancelling tasks. */
@Service("taskService")
public class TaskService {

    /** Tags offered as suggestions: the most used. */
    private static final int MAX_TAG_SUGGESTIONS = 200;

    private final TaskValidator validator;
    private final TaskStore tasks;
    private final BatchStore batches;
    private final TemplateSnapshots snapshots;
    private final ApplicationEventPublisher events;
    private final NamedParameterJdbcTemplate jdbc;
    private final String node;

    public TaskService(TaskValidator validator, TaskStore tasks, BatchStore batches, TemplateSnapshots snapshots, ApplicationEventPublisher events,
                       NamedParameterJdbcTemplate jdbc, SchedulerProperties properties) {
        this.validator = validator;
        this.tasks = tasks;
        this.batches = batches;
        this.snapshots = snapshots;
        this.events = events;
        this.jdbc = jdbc;
        this.node = properties.nodeId();
    }

    /**
     * Validates, snapshots the templates and stores one PENDING task per dataset, all or nothing; a fan-out over
     * several datasets is a batch of its own.
     *
     * @return the task, or a {@link TaskBatch} when the request fanned out over several datasets
     */
    @Transactional
    public Submitted submit(TaskSubmission submission) {
        if (submission.rerunOf() != null) {
            Task original = get(submission.rerunOf());
            if (original.datasetId() != null) {
                TaskDatasets.resolve(jdbc, List.of(original.datasetId()), "dataset_ids");
            }
            return get(tasks.insertRerun(submission.rerunOf(), submission.operator()));
        }
        JsonNode root = validator.tree(submission.body());
        TaskRequest request = validator.validate(root);
        Long clonedFrom = TaskValidator.clonedFrom(root);
        if (clonedFrom != null && tasks.find(clonedFrom).isEmpty()) {
            throw ApiException.validation("cloned_from", "no task " + clonedFrom);
        }
        List<Planned> planned = plan(request);
        UUID batchId = null;
        if (planned.size() > 1) {
            ObjectNode grid = JsonNodeFactory.instance.objectNode();
            planned.forEach(task -> grid.withArray("dataset_ids").add(task.datasetId()));
            batchId = batches.insert(request.name(), grid, null, submission.operator());
        }
        List<Task> created = store(planned, submission, batchId, clonedFrom);
        return batchId == null ? created.get(0) : new TaskBatch(batchId, created);
    }

    /** One task a request makes, checked and snapshotted but not stored yet. */
    record Planned(TaskRequest request, Long datasetId, TemplateSnapshot snapshot) {
    }

    /** The tasks one valid request makes: one per dataset it names, or one on the default dataset or none. */
    List<Planned> plan(TaskRequest request) {
        List<TaskDatasets.Ref> runOn = new ArrayList<>(TaskDatasets.resolve(jdbc, request.datasetIds(), "dataset_ids"));
        if (runOn.isEmpty()) {
            runOn.add(null); // no dataset: the templates' own market
        }
        List<Planned> planned = new ArrayList<>();
        for (TaskDatasets.Ref dataset : runOn) {
            Long datasetId = dataset == null ? null : dataset.id();
            planned.add(new Planned(request.forDataset(datasetId), datasetId,
                    snapshots.take(request.sourceHistoryIds(), edits(request, dataset))));
        }
        return planned;
    }

    List<Task> store(List<Planned> planned, TaskSubmission submission, UUID batchId, Long clonedFrom) {
        List<Task> created = new ArrayList<>();
        for (Planned task : planned) {
            long id = tasks.insert(new NewTask(task.request(), submission.origin(), batchId, submission.scheduleId(),
                    null, clonedFrom, task.datasetId(), task.snapshot(), submission.operator()));
            created.add(tasks.find(id).orElseThrow());
        }
        return created;
    }

    /**
     * Runs a stopped or failed task again in its own workspace, where RD-Agent resumes from its last checkpoint
     * ({@code --path <log>}); {@code loop_n} still counts from loop 0, as RD-Agent does.
     */
    public Task resume(long id) {
        Task task = get(id);
        if (!task.status().isFinished() || task.status() == TaskStatus.SUCCEEDED) {
            throw ApiException.conflict("only a failed, cancelled or timed-out task can resume; task " + id + " is " + task.status());
        }
        // the claim never starts a task of a cancelled batch: it would wait for ever
        if (task.batchId() != null && batches.find(task.batchId()).filter(b -> b.state().equals("cancelled")).isPresent()) {
            throw ApiException.conflict("task " + id + " belongs to cancelled batch " + task.batchId());
        }
        if (task.workspacePath() == null
                || !java.nio.file.Files.isDirectory(java.nio.file.Path.of(task.workspacePath(), "log", "__session__"))) {
            throw ApiException.conflict("task " + id + " left no RD-Agent checkpoint to resume from");
        }
        if (!tasks.resume(id)) {
            throw ApiException.conflict("task " + id + " changed state; reload it");
        }
        return get(id);
    }

    public Task get(long id) {
        return tasks.find(id).orElseThrow(() -> ApiException.notFound("no task " + id));
    }

    public TaskPage list(TaskFilter filter, TaskSort sort, int page, int size) {
        return tasks.page(filter, sort, page, size);
    }

    public Task label(long id, TaskLabels labels) {
        if (!tasks.label(id, labels)) {
            throw ApiException.notFound("no task " + id);
        }
        return get(id);
    }

    public List<TaskLabels.TagCount> tags() {
        return tasks.tags(MAX_TAG_SUGGESTIONS);
    }

    /**
     * A pending task is cancelled at once and never starts; a running one is asked to stop (SIGINT, SIGINT,
     * SIGKILL of its process group) and becomes CANCELLED when its process is gone. Idempotent until finished.
     */
    public Task cancel(long id) {
        Task task = get(id);
        if (task.status() == TaskStatus.CANCELLED) {
            return task;
        }
        if (task.status().isFinished()) {
            throw ApiException.conflict("task " + id + " is already " + task.status());
        }
        if (tasks.cancelPending(id)) {
            return get(id);
        }
        if (tasks.requestCancel(id)) {
            Task running = get(id);
            if (node.equals(running.node())) {
                events.publishEvent(new CancelRequested(id));
            }
            return running;
        }
        Task current = get(id);
        if (current.status().isFinished() && current.status() != TaskStatus.CANCELLED) {
            throw ApiException.conflict("task " + id + " is already " + current.status());
        }
        return current;
    }

    /** What the task writes into its own template copies: the dataset's market and data, literal model settings. */
    private static Map<String, String> edits(TaskRequest request, TaskDatasets.Ref dataset) {
        Map<String, String> edits = new LinkedHashMap<>();
        if (dataset != null) {
            edits.put("market", dataset.market());
            edits.put("provider_uri", TemplateEdits.quoted(dataset.providerUri()));
        }
        if (request.nEpochs() != null) {
            edits.put("n_epochs", request.nEpochs().toString());
        }
        if (request.batchSize() != null) {
            edits.put("batch_size", request.batchSize().toString());
        }
        if (request.nJobs() != null) {
            edits.put("n_jobs", request.nJobs().toString());
        }
        return edits;
    }
}
