package com.aistock.rdagent.run;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.aistock.rdagent.system.RdAgentInstallation;
import com.aistock.rdagent.system.SchedulerProperties;
import com.aistock.rdagent.task.RdAgentDuration;
import com.aistock.rdagent.task.Task;
import com.aistock.rdagent.task.TaskRequest;
import com.aistock.rdagent.task.TaskStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.component.exec.ExecBinding;
import org.springframework.stereotype.Component;

/**
 * Picks a run up again after this node restarted while RD-Agent kept going, or ended: the workspace is already
 * there, so the run is only registered to be watched (its process group, cancels, hard timeout) or read (the exit
 * status its launcher left), and then collected, archived and finished like any other.
 */
@Component("runReattacher")
public class RunReattacher {

    private final TaskStore tasks;
    private final RunRegistry registry;
    private final RdAgentInstallation installation;
    private final SchedulerProperties properties;
    private final ObjectMapper objectMapper;

    public RunReattacher(TaskStore tasks, RunRegistry registry, RdAgentInstallation installation,
                         SchedulerProperties properties, ObjectMapper objectMapper) {
        this.tasks = tasks;
        this.registry = registry;
        this.installation = installation;
        this.properties = properties;
        this.objectMapper = objectMapper;
    }

    public void reattach(@Body AttemptStore.OpenAttempt attempt, Exchange exchange) throws JsonProcessingException {
        long taskId = attempt.taskId();
        exchange.getMessage().setHeader(WorkspacePreparer.TASK_ID, taskId);
        exchange.getMessage().setHeader(WorkspacePreparer.ATTEMPT, attempt.attempt());
        Task task = tasks.find(taskId).orElseThrow();
        TaskRequest request = objectMapper.treeToValue(task.params(), TaskRequest.class);
        Workspace workspace = new Workspace(Path.of(task.workspacePath()));
        registry.register(new RunRegistry.RunSpec(taskId, attempt.attempt(), workspace, Map.of(), Set.of(),
                request.loopN(), request.allDuration(), new RunRegistry.Attach(attempt.pid(), attempt.pidStarted())));

        Duration limit = request.timeout() == null ? properties.run().defaultTimeout()
                : RdAgentDuration.parse(request.timeout());
        Duration left = limit.minus(Duration.between(task.startedAt(), OffsetDateTime.now()));
        exchange.getMessage().setBody(null);
        exchange.getMessage().setHeader(ExecBinding.EXEC_COMMAND_EXECUTABLE, installation.command());
        exchange.getMessage().setHeader(ExecBinding.EXEC_COMMAND_ARGS, List.of());
        exchange.getMessage().setHeader(ExecBinding.EXEC_COMMAND_WORKING_DIR, workspace.root().toString());
        exchange.getMessage().setHeader(ExecBinding.EXEC_COMMAND_OUT_FILE, workspace.runLog().toString());
        exchange.getMessage().setHeader(ExecBinding.EXEC_COMMAND_TIMEOUT, Math.max(1, left.toMillis()));
    }
}
