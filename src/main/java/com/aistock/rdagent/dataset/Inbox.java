package com.aistock.rdagent.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import com.aistock.rdagent.system.ApiError;
import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.Hashes;
import com.aistock.rdagent.system.SchedulerMetrics;
import com.aistock.rdagent.task.TaskSubmission;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What the inbox routes decide (SPEC 8): a file's identity, the dataset a stock-pool file becomes (named exactly
 * as the file, its data folder from a {@code <name>.meta.json} beside it) and the task it starts, the task a
 * {@code *.task.json} asks for, where a taken file goes, and the reason file of a refused one. Every read of an
 * inbox file refuses to follow a symbolic link.
 */
@Component("inbox")
public class Inbox {

    static final String OPERATOR = "inbox";
    private static final String POOL = ".txt";
    private static final String TASK = ".task.json";
    private static final String SIDECAR = ".meta.json";
    /** Where the error handler decided a refused file goes; moveFailed reads it. */
    private static final String MOVED_TO = "inboxMovedTo";
    private static final Logger log = LoggerFactory.getLogger(Inbox.class);
    /** A task file is a POST /tasks body; anything bigger is not one. */
    private static final int MAX_TASK_FILE_BYTES = 1 << 20;
    private static final int MAX_SIDECAR_BYTES = 64 << 10;

    private final DatasetService datasets;
    private final DatasetProperties settings;
    private final InboxFolder folder;
    private final ObjectMapper objectMapper;
    private final SchedulerMetrics metrics;

    public Inbox(DatasetService datasets, DatasetProperties settings, InboxFolder folder, ObjectMapper objectMapper,
                 SchedulerMetrics metrics) {
        this.datasets = datasets;
        this.settings = settings;
        this.folder = folder;
        this.objectMapper = objectMapper;
        this.metrics = metrics;
    }

    static boolean isSidecar(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(SIDECAR);
    }

    static String sidecarStem(String name) {
        return name.substring(0, name.length() - SIDECAR.length());
    }

    static boolean isPoolFile(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(POOL);
    }

    /** {@code 股票池.txt} → {@code 股票池}: the dataset's name, exactly. */
    static String poolStem(String name) {
        return name.substring(0, name.length() - POOL.length());
    }

    /**
     * The idempotent-repository key: name and content (with the sidecar's). The same file dropped again, even with
     * a new mtime or after a restart, is not taken twice; a new version under the same name is.
     */
    public String key(@Header(Exchange.FILE_NAME_ONLY) String name, @Header(Exchange.FILE_PATH) String path)
            throws IOException {
        Path file = Path.of(path);
        Optional<Path> sidecar = isPoolFile(name) ? checkedSidecar(file, name) : Optional.empty();
        try (InputStream pool = open(file)) {
            if (sidecar.isEmpty()) {
                return name + ":" + Hashes.sha256(pool);
            }
            try (InputStream meta = open(sidecar.get())) {
                return name + ":" + Hashes.sha256(new SequenceInputStream(pool, meta));
            }
        }
    }

    /** A task file asks for a task; a {@code .txt} is a stock pool; nothing else is the inbox's. */
    public boolean isTaskFile(@Header(Exchange.FILE_NAME_ONLY) String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(TASK);
    }

    public boolean isPool(@Header(Exchange.FILE_NAME_ONLY) String name) {
        return isPoolFile(name);
    }

    public void refuseType(@Header(Exchange.FILE_NAME_ONLY) String name) {
        throw ApiException.unprocessable("file", "neither a stock pool (<name>" + POOL + ") nor a task (<name>" + TASK
                + "); a <name>" + SIDECAR + " goes beside its <name>" + POOL);
    }

    public Dataset importInstruments(@Header(Exchange.FILE_NAME_ONLY) String name,
                                     @Header(Exchange.FILE_PATH) String path) throws IOException {
        Path file = Path.of(path);
        String providerUri = null;
        Optional<Path> sidecar = checkedSidecar(file, name);
        if (sidecar.isPresent()) {
            providerUri = providerUri(sidecar.get());
        }
        return datasets.importFile(new DatasetService.Upload(poolStem(name), providerUri, file, OPERATOR)).dataset();
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
        byte[] content = read(Path.of(path), MAX_TASK_FILE_BYTES, "body");
        return new TaskSubmission(new String(content, StandardCharsets.UTF_8), "inbox", OPERATOR, null);
    }

    /** The file became what it asked for (a dataset and its task, or a task); it moves to .done/. */
    public void accepted() {
        metrics.inboxFile("accepted");
    }

    /** A stock-pool file's sidecar follows it to {@code .done/}, also when the file was taken before. */
    public void settled(@Header(Exchange.FILE_NAME_ONLY) String name, @Header(Exchange.FILE_PATH) String path)
            throws IOException {
        Optional<Path> sidecar = isPoolFile(name) ? sidecar(Path.of(path), name) : Optional.empty();
        if (sidecar.isPresent()) {
            folder.move(sidecar.get(), InboxFolder.doneFolder(), sidecar.get().getFileName().toString());
        }
    }

    /** Where a taken file goes: {@code .done/yyyyMMdd/<name>}, or a free variant of the name. */
    public String doneTarget(@Header(Exchange.FILE_NAME_ONLY) String name) {
        return InboxFolder.doneFolder() + "/" + folder.freeName(InboxFolder.doneFolder(), name);
    }

    /** Where a refused file goes: the place its reason file was written for. */
    public String errorTarget(@Header(Exchange.FILE_NAME_ONLY) String name, Exchange exchange) {
        String decided = exchange.getProperty(MOVED_TO, String.class);
        return decided != null ? decided : InboxFolder.errorFolder() + "/" + folder.freeName(InboxFolder.errorFolder(), name);
    }

    /**
     * Writes {@code .error/<file>.error.txt} with what the API would have answered and moves the file's sidecar
     * beside it; the route's moveFailed then puts the file itself there.
     */
    public void reject(@Header(Exchange.FILE_NAME_ONLY) String name, @Header(Exchange.FILE_PATH) String path,
                       Exchange exchange) throws IOException {
        metrics.inboxFile("rejected");
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ApiException refused = ApiError.refusal(cause);
        String moved = folder.freeName(InboxFolder.errorFolder(), name);
        exchange.setProperty(MOVED_TO, InboxFolder.errorFolder() + "/" + moved);
        String reason;
        if (refused == null) {
            log.error("Inbox file {} failed", InboxFolder.quoted(name), cause);
            reason = InboxFolder.reason(InboxFolder.quoted(name), "internal", null, String.valueOf(cause), null);
        } else {
            log.warn("Inbox file {} rejected: {}", InboxFolder.quoted(name), refused.getMessage());
            reason = InboxFolder.reason(InboxFolder.quoted(name), refused.error(), refused.field(), refused.getMessage(),
                    refused.lines());
        }
        Optional<Path> sidecar = isPoolFile(name) && path != null ? sidecar(Path.of(path), name) : Optional.empty();
        if (sidecar.isPresent()) {
            reason += "sidecar: moved to " + InboxFolder.errorFolder() + "/"
                    + folder.move(sidecar.get(), InboxFolder.errorFolder(), sidecar.get().getFileName().toString()) + '\n';
        }
        folder.writeReason(moved, reason);
    }

    /** {@code <stem>.meta.json} beside a stock-pool file, if there is one (a link counts: it moves with the file). */
    private static Optional<Path> sidecar(Path pool, String name) {
        Path sidecar = pool.resolveSibling(poolStem(name) + SIDECAR);
        return Files.exists(sidecar, LinkOption.NOFOLLOW_LINKS) ? Optional.of(sidecar) : Optional.empty();
    }

    /** The sidecar to read: a symbolic link there refuses the stock-pool file, unread. */
    private static Optional<Path> checkedSidecar(Path pool, String name) {
        Optional<Path> sidecar = sidecar(pool, name);
        if (sidecar.isPresent() && !Files.isRegularFile(sidecar.get(), LinkOption.NOFOLLOW_LINKS)) {
            throw ApiException.unprocessable(sidecar.get().getFileName().toString(),
                    "is not a regular file (a symbolic link?): the inbox never follows one");
        }
        return sidecar;
    }

    private static InputStream open(Path file) throws IOException {
        return Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
    }

    /** The sidecar's {@code provider_uri}: a JSON object with that one field. */
    private String providerUri(Path sidecar) throws IOException {
        String field = sidecar.getFileName().toString();
        JsonNode meta;
        try {
            meta = objectMapper.readTree(read(sidecar, MAX_SIDECAR_BYTES, field));
        } catch (JsonProcessingException e) {
            throw ApiException.validation(field, "is not JSON: " + e.getOriginalMessage());
        }
        if (meta == null || !meta.isObject() || meta.size() != 1 || !meta.path("provider_uri").isTextual()) {
            throw ApiException.validation(field, "must be {\"provider_uri\": \"/path/to/qlib_data\"}");
        }
        return meta.get("provider_uri").asText();
    }

    /** At most {@code limit} bytes of an inbox file, never through a symbolic link. */
    private static byte[] read(Path file, int limit, String field) throws IOException {
        try (InputStream in = open(file)) {
            byte[] content = in.readNBytes(limit + 1);
            if (content.length > limit) {
                throw ApiException.tooLarge(field, limit);
            }
            return content;
        }
    }
}
