package com.aistock.rdagent.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.aistock.rdagent.config.RdAgentFiles;
import com.aistock.rdagent.config.TemplateSnapshots;
import com.aistock.rdagent.dataset.DatasetInstaller;
import com.aistock.rdagent.system.FileTrees;
import com.aistock.rdagent.system.RdAgentInstallation;
import com.aistock.rdagent.system.SchedulerProperties;
import com.aistock.rdagent.task.RdAgentDuration;
import com.aistock.rdagent.task.Task;
import com.aistock.rdagent.task.TaskRequest;
import com.aistock.rdagent.task.TaskStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.component.exec.ExecBinding;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Prepares a claimed task (SPEC 5.3): its workspace, .env, template snapshot and overlay; then hands the exec
 * endpoint the command line, and the executor the environment through the {@link RunRegistry}.
 */
@Component("workspacePreparer")
public class WorkspacePreparer {

    public static final String TASK_ID = "taskId";
    /** The attempt the claim took: every state change of the run names it. */
    public static final String ATTEMPT = "attempt";

    private final TaskStore tasks;
    private final TemplateSnapshots snapshots;
    private final RunRegistry registry;
    private final RdAgentInstallation installation;
    private final SchedulerProperties properties;
    private final ObjectMapper objectMapper;
    private final Environment environment;
    private final DatasetInstaller datasetInstaller;

    public WorkspacePreparer(TaskStore tasks, TemplateSnapshots snapshots, RunRegistry registry,
                             RdAgentInstallation installation, SchedulerProperties properties,
                             ObjectMapper objectMapper, Environment environment, DatasetInstaller datasetInstaller) {
        this.tasks = tasks;
        this.snapshots = snapshots;
        this.registry = registry;
        this.installation = installation;
        this.properties = properties;
        this.objectMapper = objectMapper;
        this.environment = environment;
        this.datasetInstaller = datasetInstaller;
    }

    public void prepare(Exchange exchange) throws IOException, InterruptedException {
        Map<?, ?> claimed = exchange.getMessage().getBody(Map.class);
        long taskId = ((Number) claimed.get("id")).longValue();
        int attempt = ((Number) claimed.get("attempt")).intValue();
        exchange.getMessage().setHeader(TASK_ID, taskId);
        exchange.getMessage().setHeader(ATTEMPT, attempt);
        // an earlier attempt fenced on this node may still be stopping in the same workspace
        registry.awaitGone(taskId, properties.run().secondInterruptAfter().plus(properties.run().stopGrace())
                .plus(properties.node().lease()));
        Task task = tasks.find(taskId).orElseThrow();
        TaskRequest request = objectMapper.treeToValue(task.params(), TaskRequest.class);
        Workspace workspace = Workspace.of(properties.work(), taskId);

        Files.createDirectories(workspace.log());
        Files.createDirectories(workspace.ws());
        boolean resume = task.attempt() > 1 && Files.isDirectory(workspace.log().resolve("__session__"));
        FileTrees.delete(workspace.overlay()); // a resumed attempt lays it out afresh
        Map<String, Path> templates = snapshots.materialize(task.config(), workspace.config());
        objectMapper.writerWithDefaultPrettyPrinter().writeValue(workspace.manifest().toFile(), task.config());
        Overlay.build(installation.home(), workspace.overlay(), templates);
        datasetInstaller.install(task.datasetId());

        Map<String, String> overrides = RunEnvironment.overrides(request, knowledgeBase());
        writeEnvFile(workspace.env(), RunEnvironment.dotenv(managedEnv(), overrides, taskId));

        Map<String, String> env = new LinkedHashMap<>();
        Set<String> unset = new HashSet<>();
        overrides.forEach((key, value) -> {
            if (value == null) {
                unset.add(key);
            } else {
                env.put(key, value);
            }
        });
        if (request.env() != null) {
            env.putAll(request.env());
        }
        env.put("LOG_TRACE_PATH", workspace.log().toString());
        env.put("WORKSPACE_PATH", workspace.ws().toString());
        env.put("PYTHONUNBUFFERED", "1");
        env.put("COLUMNS", "400");
        env.put("LOG_UI_SERVER_PORT", environment.getProperty("local.server.port",
                environment.getProperty("server.port", "8080")));
        env.put("PYTHONPATH", pythonPath(workspace));
        registry.register(new RunRegistry.RunSpec(taskId, attempt, workspace, env, unset, request.loopN(),
                request.allDuration(), null));
        tasks.recordWorkspace(taskId, attempt, workspace.root().toString());

        Duration timeout = request.timeout() == null ? properties.run().defaultTimeout()
                : RdAgentDuration.parse(request.timeout());
        exchange.getMessage().setBody(null);
        exchange.getMessage().setHeader(ExecBinding.EXEC_COMMAND_EXECUTABLE, installation.command());
        List<String> args = arguments(request);
        if (resume) {
            args.add("--path");
            args.add(workspace.log().toString());
        }
        exchange.getMessage().setHeader(ExecBinding.EXEC_COMMAND_ARGS, args);
        exchange.getMessage().setHeader(ExecBinding.EXEC_COMMAND_WORKING_DIR, workspace.root().toString());
        exchange.getMessage().setHeader(ExecBinding.EXEC_COMMAND_OUT_FILE, workspace.runLog().toString());
        exchange.getMessage().setHeader(ExecBinding.EXEC_COMMAND_TIMEOUT, timeout.toMillis());
    }

    /** {@code rdagent fin_quant --loop-n N --step-n S --all-duration D}: hyphenated flags, no --trace. */
    static List<String> arguments(TaskRequest request) {
        List<String> args = new ArrayList<>();
        args.add(request.scenario());
        if (request.loopN() != null) {
            args.add("--loop-n");
            args.add(request.loopN().toString());
        }
        if (request.stepN() != null) {
            args.add("--step-n");
            args.add(request.stepN().toString());
        }
        if (request.allDuration() != null) {
            args.add("--all-duration");
            args.add(request.allDuration());
        }
        return args;
    }

    private String pythonPath(Workspace workspace) {
        String inherited = System.getenv("PYTHONPATH");
        String path = workspace.overlay() + ":" + installation.home();
        return inherited == null || inherited.isBlank() ? path : path + ":" + inherited;
    }

    private String knowledgeBase() {
        String configured = properties.rdagent().knowledgeBase();
        return configured == null || configured.isBlank()
                ? properties.data().resolve("knowledge_base").toString() : configured;
    }

    private String managedEnv() throws IOException {
        Path env = installation.home().resolve(RdAgentFiles.ENV);
        return Files.exists(env) ? Files.readString(env, StandardCharsets.UTF_8) : "";
    }

    /** Created 0600 from the start: the file holds API keys. */
    private static void writeEnvFile(Path target, String content) throws IOException {
        Files.deleteIfExists(target);
        Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(target, content, StandardCharsets.UTF_8);
    }
}
