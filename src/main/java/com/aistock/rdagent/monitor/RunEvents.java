package com.aistock.rdagent.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.aistock.rdagent.run.LoopStore;
import com.aistock.rdagent.run.RunRegistry;
import com.aistock.rdagent.system.ApiException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.springframework.stereotype.Component;

/**
 * RD-Agent's structured events ({@code POST /receive}, sent when {@code LOG_UI_SERVER_PORT} is set): hypothesis,
 * proposed tasks, the code evolved for them, metrics, and the feedback with the keep/discard decision of each loop, stored per loop of the running task whose
 * {@code LOG_TRACE_PATH} the event names. Only RD-Agent on this machine may post them.
 */
@Component("runEvents")
public class RunEvents {

    static final int MAX_BODY = 1 << 20;

    private final RunRegistry registry;
    private final LoopStore loops;
    /** Python's json.dumps writes NaN and Infinity for metrics that are no number: RD-Agent's events may hold them. */
    private final ObjectMapper objectMapper;

    public RunEvents(RunRegistry registry, LoopStore loops, ObjectMapper objectMapper) {
        this.registry = registry;
        this.loops = loops;
        this.objectMapper = objectMapper.copy().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS.mappedFeature());
    }

    public Map<String, Object> receive(Exchange exchange) throws IOException {
        PlatformHttpMessage http = exchange.getIn(PlatformHttpMessage.class);
        checkLocal(http == null ? null : http.getRequest());
        JsonNode body;
        try {
            body = objectMapper.readTree(bounded(exchange.getIn().getBody(InputStream.class)));
        } catch (JsonProcessingException e) {
            throw ApiException.validation("body", "malformed JSON: " + e.getOriginalMessage());
        }
        List<JsonNode> events = body.isArray() ? objectMapper.convertValue(body,
                objectMapper.getTypeFactory().constructCollectionType(List.class, JsonNode.class)) : List.of(body);
        int stored = 0;
        for (JsonNode event : events) {
            long taskId = taskOf(event.path("id").asText());
            JsonNode msg = event.path("msg");
            if (msg.path("loop_id").isMissingNode() || !msg.path("loop_id").asText().matches("\\d{1,6}")) {
                continue; // scenario-wide events carry no loop
            }
            store(taskId, Integer.parseInt(msg.path("loop_id").asText()), msg.path("tag").asText(), msg.path("content"));
            stored++;
        }
        return Map.of("stored", stored);
    }

    /** The socket peer decides; forwarding headers are never trusted here. */
    static void checkLocal(HttpServletRequest request) {
        if (request == null || !isLoopback(request.getRemoteAddr())) {
            throw ApiException.forbidden("RD-Agent events are accepted from this machine only");
        }
    }

    static boolean isLoopback(String address) {
        if (address == null || !address.matches("[0-9a-fA-F.:%\\[\\]]+")) {
            return false; // a literal address only: no name lookups
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private long taskOf(String tracePath) {
        Optional<Long> match = tracePath.isEmpty() ? Optional.empty() : registry.activeTaskIds().stream()
                .filter(id -> {
                    RunRegistry.ActiveRun run = registry.forTask(id);
                    return run != null && run.spec().workspace().log().equals(Path.of(tracePath).normalize());
                })
                .findFirst();
        return match.orElseThrow(() -> ApiException.notFound("no running task traces to " + tracePath));
    }

    private void store(long taskId, int loop, String tag, JsonNode content) throws IOException {
        LoopStore.Event event = switch (tag) {
            case "research.hypothesis" -> new LoopStore.Event(text(content, "hypothesis"), text(content, "reason"),
                    null, null, null, null, null, null);
            case "research.tasks" -> new LoopStore.Event(null, null, content, null, null, null, null, null);
            case "evolving.codes" -> new LoopStore.Event(null, null, null, null, null, null, codes(content), null);
            case "feedback.metric" -> {
                JsonNode result = content.path("result");
                yield new LoopStore.Event(null, null, null,
                        finite(result.isTextual() ? objectMapper.readTree(result.asText()) : result), null, null, null, null);
            }
            case "feedback.hypothesis_feedback" -> new LoopStore.Event(null, null, null, null,
                    content.path("decision").isBoolean() ? content.path("decision").booleanValue() : null,
                    text(content, "reason"), null, feedback(content));
            // evolving feedback and charts stay in RD-Agent's own log folder
            default -> null;
        };
        if (event != null) {
            loops.merge(taskId, loop, event);
        }
    }

    /** A loop's metrics without NaN and infinities: those are no result, and could win a comparison. */
    private static JsonNode finite(JsonNode metrics) {
        if (!metrics.isObject()) {
            return metrics;
        }
        ObjectNode kept = metrics.deepCopy();
        kept.properties().removeIf(metric -> metric.getValue().isNumber() && !Double.isFinite(metric.getValue().asDouble()));
        return kept;
    }

    /** The code of one evolving round, per proposed task: the last round's is what the experiment ran. */
    private JsonNode codes(JsonNode content) {
        ArrayNode codes = objectMapper.createArrayNode();
        for (JsonNode item : content.isArray() ? content : List.of(content)) {
            ObjectNode code = codes.addObject();
            code.put("task", text(item, "target_task_name"));
            code.set("evo_id", item.path("evo_id").isMissingNode() ? null : item.path("evo_id"));
            code.set("files", item.path("workspace").isObject() ? item.path("workspace") : objectMapper.createObjectNode());
        }
        return codes;
    }

    private JsonNode feedback(JsonNode content) {
        ObjectNode feedback = objectMapper.createObjectNode();
        for (String field : List.of("observations", "hypothesis_evaluation", "new_hypothesis", "reason", "exception")) {
            feedback.put(field, text(content, field));
        }
        return feedback;
    }

    private static String text(JsonNode content, String field) {
        JsonNode value = content.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    private static byte[] bounded(InputStream in) throws IOException {
        if (in == null) {
            throw ApiException.validation("body", "an event or a list of events is required");
        }
        byte[] bytes = in.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw ApiException.tooLarge("body", "events are limited to 1 MiB per request");
        }
        return bytes;
    }
}
