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
    private final TemplateSnapshots snapshots;
    private final ApplicationEventPublisher events;
    private final NamedParameterJdbcTemplate jdbc;
    private final String node;

    public TaskService(TaskValidator validator, TaskStore tasks, TemplateSnapshots snapshots, ApplicationEventPublisher events,
                       NamedParameterJdbcTemplate jdbc, SchedulerProperties properties) {
        this.validator = validator;
        this.tasks = tasks;
        this.snapshots = snapshots;
        this.events = events;
        this.jdbc = jdbc;
        this.node = properties.nodeId();
    }

    /**
     * Validates, snapshots the templates and stores one PENDING task per dataset, all or nothing.
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
        TaskRequest request = validator.parse(submission.body());
        List<TaskDatasets.Ref> datasets = TaskDatasets.resolve(jdbc, request.datasetIds(), "dataset_ids");
        UUID batchId = datasets.size() > 1 ? UUID.randomUUID() : null;
        List<Task> created = new ArrayList<>();
        List<TaskDatasets.Ref> runOn = new ArrayList<>(datasets);
        if (runOn.isEmpty()) {
            runOn.add(null); // no dataset: the templates' own market
        }
        for (TaskDatasets.Ref dataset : runOn) {
            TemplateSnapshot snapshot = snapshots.take(request.sourceHistoryIds(), edits(request, dataset));
            long id = tasks.insert(new NewTask(request.forDataset(dataset == null ? null : dataset.id()),
                    submission.origin(), batchId, submission.scheduleId(), null,
                    dataset == null ? null : dataset.id(), snapshot, submission.operator()));
            created.add(tasks.find(id).orElseThrow());
        }
        return batchId == null ? created.get(0) : new TaskBatch(batchId, created);
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
