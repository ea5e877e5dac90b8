package com.aistock.rdagent.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.aistock.rdagent.system.ApiError;
import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.Hashes;
import com.aistock.rdagent.system.SchedulerMetrics;
import com.aistock.rdagent.system.SchedulerProperties;
import com.aistock.rdagent.task.TaskSubmission;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What the inbox routes decide (SPEC 8): a file's identity, the dataset a stock-pool file becomes and the task it
 * starts, the task a {@code *.task.json} asks for, and the reason file of a rejected one.
 */
@Component("inbox")
public class Inbox {

    static final String OPERATOR = "inbox";
    private static final Logger log = LoggerFactory.getLogger(Inbox.class);
    private static final Pattern NOT_IN_NAME = Pattern.compile("[^a-z0-9_]");
    /** A task file is a POST /tasks body; anything bigger is not one. */
    private static final int MAX_TASK_FILE_BYTES = 1 << 20;

    private final DatasetService datasets;
    private final DatasetProperties settings;
    private final SchedulerProperties properties;
    private final ObjectMapper objectMapper;
    private final SchedulerMetrics metrics;

    public Inbox(DatasetService datasets, DatasetProperties settings, SchedulerProperties properties,
                 ObjectMapper objectMapper, SchedulerMetrics metrics) {
        this.datasets = datasets;
        this.settings = settings;
        this.properties = properties;
        this.objectMapper = objectMapper;
        this.metrics = metrics;
    }

    /**
     * The idempotent-repository key: name and content. The same file dropped again, even with a new mtime or
     * after a restart, is not taken twice; a new version under the same name is.
     */
    public String key(@Header(Exchange.FILE_NAME_ONLY) String name, @Header(Exchange.FILE_PATH) String path)
            throws IOException {
        return name + ":" + Hashes.sha256(Path.of(path));
    }

    public Dataset importInstruments(@Header(Exchange.FILE_NAME_ONLY) String name,
                                     @Header(Exchange.FILE_PATH) String path) throws IOException {
        return datasets.importFile(datasetName(name), Path.of(path), OPERATOR).dataset();
    }

    /** A task file asks for a task; any other file is a stock pool. */
    public boolean isTaskFile(@Header(Exchange.FILE_NAME_ONLY) String name) {
        return name.endsWith(".task.json");
    }

    /** Whether a dropped stock-pool file also starts a task ({@code scheduler.inbox.auto-run}). */
    public boolean autoRuns() {
        return settings.inbox().autoRun();
    }

    /** The task a dropped stock-pool file starts: {@code scheduler.defaults.*} on that dataset. */
    public TaskSubmission autoRun(@Body Dataset dataset) {
        ObjectNode body = objectMapper.valueToTree(settings.defaults());
        body.put("name", dataset.name());
        body.putArray("dataset_ids").add(dataset.id());
        return new TaskSubmission(body.toString(), "inbox", OPERATOR, null);
    }

    /** The file's content goes to {@code direct:submit-task} untouched, so it meets exactly POST /tasks' rules. */
    public TaskSubmission taskSubmission(@Header(Exchange.FILE_PATH) String path) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            byte[] content = in.readNBytes(MAX_TASK_FILE_BYTES + 1);
            if (content.length > MAX_TASK_FILE_BYTES) {
                throw ApiException.tooLarge("body", MAX_TASK_FILE_BYTES);
            }
            return new TaskSubmission(new String(content, StandardCharsets.UTF_8), "inbox", OPERATOR, null);
        }
    }

    /** The file became what it asked for (a dataset and its task, or a task); it moves to .done/. */
    public void accepted() {
        metrics.inboxFile("accepted");
    }

    /**
     * Writes {@code .error/<file>.error.txt} with what the API would have answered; the route's moveFailed then
     * puts the file beside it.
     */
    public void reject(@Header(Exchange.FILE_NAME_ONLY) String name, Exchange exchange) throws IOException {
        metrics.inboxFile("rejected");
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ApiException refused = ApiError.refusal(cause);
        StringBuilder reason = new StringBuilder(name).append(" was rejected\n");
        if (refused == null) {
            log.error("Inbox file {} failed", name, cause);
            reason.append("error: internal\nmessage: ").append(cause).append('\n');
        } else {
            log.warn("Inbox file {} rejected: {}", name, refused.getMessage());
            reason.append("error: ").append(refused.error()).append('\n');
            if (refused.field() != null) {
                reason.append("field: ").append(refused.field()).append('\n');
            }
            reason.append("message: ").append(refused.getMessage()).append('\n');
            List<InvalidInstrumentsException.BadLine> badLines = refused instanceof InvalidInstrumentsException invalid
                    ? invalid.badLines() : List.of();
            badLines.forEach(bad -> reason.append("line ").append(bad.line()).append(": ").append(bad.reason()).append('\n'));
        }
        Path folder = Files.createDirectories(properties.inbox().resolve(".error"));
        Path temp = Files.createTempFile(folder, ".reason-", ".tmp");
        Files.writeString(temp, reason, StandardCharsets.UTF_8);
        Files.move(temp, folder.resolve(name + ".error.txt"), StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@code My Pool-2024.txt} → {@code my_pool_2024}: lower-cased, every other character an underscore. */
    private static String datasetName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String stem = NOT_IN_NAME.matcher((dot > 0 ? fileName.substring(0, dot) : fileName).toLowerCase(Locale.ROOT))
                .replaceAll("_");
        return stem.length() > 64 ? stem.substring(0, 64) : stem;
    }
}
