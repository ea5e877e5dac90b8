package com.aistock.rdagent.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.ApiParams;
import com.aistock.rdagent.system.Operators;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** Turns the config routes' headers and bodies into {@link ConfigService} calls, refusing malformed input. */
@Component("configApi")
public class ConfigApi {

    private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");

    private final ConfigService service;
    private final ObjectMapper objectMapper;

    public ConfigApi(ConfigService service, ObjectMapper objectMapper) {
        this.service = service;
        this.objectMapper = objectMapper;
    }

    record ContentWrite(String content, String expectedSha256, String note) {
    }

    record EnvWrite(Map<String, String> entries, String expectedSha256, String note) {
    }

    record Rollback(Long historyId, String expectedSha256, String note) {
    }

    record QlibTarget(String providerUri, String market, String benchmark) {
    }

    public List<ConfigService.TemplateFile> listTemplates() {
        return service.templates();
    }

    public ConfigService.FileContent getTemplate(@Header("file") String file) {
        return service.content(ManagedFile.templateOrPrompt(file));
    }

    public ConfigStore.Written putTemplate(@Header("file") String file, @Header("If-Match") String ifMatch,
                                           @Body String body) {
        ManagedFile managed = ManagedFile.templateOrPrompt(file);
        ContentWrite write = parse(body, ContentWrite.class);
        if (write.content() == null) {
            throw ApiException.validation("content", "is required");
        }
        return service.writeTemplate(managed, write.content(), expected(write.expectedSha256(), ifMatch),
                ConfigChange.write(Operators.current(), Notes.optional(write.note())));
    }

    public ConfigService.HistoryPage templateHistory(@Header("file") String file, @Header("page") String page,
                                                    @Header("size") String size) {
        String path = file == null || file.isBlank() ? null : ManagedFile.templateOrPrompt(file).path();
        return service.history(HistoryTable.TEMPLATE, path, ApiParams.page(page), ApiParams.size(size));
    }

    public ConfigService.HistoryVersion templateVersion(@Header("id") String id) {
        return service.version(HistoryTable.TEMPLATE, ApiParams.id("id", id));
    }

    public ConfigService.ConfigDiff templateDiff(@Header("file") String file, @Header("from") String from,
                                                 @Header("to") String to) {
        return diff(ManagedFile.templateOrPrompt(file), from, to);
    }

    public ConfigStore.Written rollbackTemplate(@Header("If-Match") String ifMatch, @Body String body) {
        return rollback(HistoryTable.TEMPLATE, ifMatch, body);
    }

    public TemplateConsistency.Report validateTemplates() {
        return service.consistency();
    }

    public ConfigService.EnvView getEnv() {
        return service.env();
    }

    public ConfigStore.Written putEnv(@Header("If-Match") String ifMatch, @Body String body) {
        EnvWrite write = parse(body, EnvWrite.class);
        if (write.entries() == null) {
            throw ApiException.validation("entries", "is required: an object of KEY: value (null removes the key)");
        }
        return service.writeEnv(write.entries(), expected(write.expectedSha256(), ifMatch),
                ConfigChange.write(Operators.current(), Notes.optional(write.note())));
    }

    public ConfigService.HistoryPage envHistory(@Header("page") String page, @Header("size") String size) {
        return service.history(HistoryTable.ENV, ManagedFile.ENV.path(), ApiParams.page(page), ApiParams.size(size));
    }

    public ConfigService.HistoryVersion envVersion(@Header("id") String id) {
        return service.version(HistoryTable.ENV, ApiParams.id("id", id));
    }

    public ConfigService.ConfigDiff envDiff(@Header("from") String from, @Header("to") String to) {
        return diff(ManagedFile.ENV, from, to);
    }

    public ConfigStore.Written rollbackEnv(@Header("If-Match") String ifMatch, @Body String body) {
        return rollback(HistoryTable.ENV, ifMatch, body);
    }

    public ConnectionChecks.LlmCheck testLlm() {
        return service.testLlm();
    }

    public ConnectionChecks.QlibCheck testQlib(@Body String body) {
        QlibTarget target = parse(body, QlibTarget.class);
        return service.testQlib(blankToNull(target.providerUri()), blankToNull(target.market()),
                blankToNull(target.benchmark()));
    }

    private ConfigService.ConfigDiff diff(ManagedFile file, String from, String to) {
        boolean current = to == null || to.isBlank() || "current".equalsIgnoreCase(to.strip());
        return service.diff(file, ApiParams.id("from", from), current ? null : ApiParams.id("to", to));
    }

    private ConfigStore.Written rollback(HistoryTable table, String ifMatch, String body) {
        Rollback rollback = parse(body, Rollback.class);
        if (rollback.historyId() == null || rollback.historyId() <= 0) {
            throw ApiException.validation("history_id", "is required: the id of the version to put back");
        }
        return service.rollback(table, rollback.historyId(), expected(rollback.expectedSha256(), ifMatch),
                ConfigChange.rollback(Operators.current(), Notes.reason(rollback.note())));
    }

    private <T> T parse(String body, Class<T> type) {
        try {
            return objectMapper.readValue(body == null || body.isBlank() ? "{}" : body, type);
        } catch (JsonProcessingException e) {
            throw ApiException.validation("body", "malformed JSON: " + e.getOriginalMessage());
        }
    }

    /** The sha256 the client last read, from the body or an {@code If-Match} header (an ETag, quotes allowed). */
    public static String expected(String fromBody, String ifMatch) {
        String header = ifMatch == null || ifMatch.isBlank() ? null
                : ifMatch.strip().replaceFirst("^W/", "").replace("\"", "").toLowerCase(Locale.ROOT);
        String body = fromBody == null || fromBody.isBlank() ? null : fromBody.strip().toLowerCase(Locale.ROOT);
        if (header == null && body == null) {
            throw ApiException.validation("expected_sha256",
                    "is required (or an If-Match header): the sha256 of the content this change is based on");
        }
        if (header != null && body != null && !header.equals(body)) {
            throw ApiException.validation("expected_sha256", "differs from the If-Match header");
        }
        String expected = body != null ? body : header;
        if (!SHA256.matcher(expected).matches()) {
            throw ApiException.validation("expected_sha256", "must be a sha256 in hex (64 characters)");
        }
        return expected;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
