package com.aistock.rdagent.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.ApiParams;
import com.aistock.rdagent.system.Operators;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/** Turns the dataset REST routes' headers and bodies into service calls, refusing malformed requests. */
@Component("datasetApi")
public class DatasetApi {

    private final DatasetService service;

    public DatasetApi(DatasetService service) {
        this.service = service;
    }

    /** Live versions; with {@code include_deleted=true} deleted ones too, so old tasks can name theirs. */
    public List<Dataset> list(@Header("include_deleted") String includeDeleted) {
        if (includeDeleted != null && !includeDeleted.equals("true") && !includeDeleted.equals("false")) {
            throw ApiException.validation("include_deleted", "must be true or false");
        }
        return service.list("true".equals(includeDeleted));
    }

    public Dataset get(@Header("id") String id) {
        return service.get(ApiParams.id("id", id));
    }

    public List<Dataset> versions(@Header("id") String id) {
        return service.versions(ApiParams.id("id", id));
    }

    public VersionDiff diff(@Header("id") String id, @Header("a") String from, @Header("b") String to) throws IOException {
        return service.diff(ApiParams.id("id", id), version("a", from), version("b", to));
    }

    private static int version(String field, String text) {
        return ApiParams.number(field, text, -1, 1, Integer.MAX_VALUE);
    }

    /** 201 with the new version, or 200 with the newest one when it already has this content and data folder. */
    public Dataset upload(@Header("name") String name, @Header("provider_uri") String providerUri, Exchange exchange)
            throws IOException {
        Message message = exchange.getMessage();
        Path upload = received(message);
        try {
            DatasetService.Imported imported = service.importFile(new DatasetService.Upload(name,
                    providerUri == null || providerUri.isEmpty() ? null : providerUri, upload, Operators.current()));
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, imported.created() ? 201 : 200);
            return imported.dataset();
        } finally {
            Files.deleteIfExists(upload);
        }
    }

    public Dataset makeDefault(@Header("id") String id) {
        return service.makeDefault(ApiParams.id("id", id));
    }

    public Dataset delete(@Header("id") String id) {
        return service.delete(ApiParams.id("id", id), Operators.current());
    }

    /**
     * A multipart upload arrives as the file the platform-http binding saved; a text/plain body is copied to one.
     * Both are within {@code scheduler.datasets.max-upload} by now: Spring refuses a larger multipart upload, and
     * system/RequestBodyLimitFilter any other larger body, before Camel reads them.
     */
    private Path received(Message message) throws IOException {
        String contentType = String.valueOf(message.getHeader(Exchange.CONTENT_TYPE)).toLowerCase(Locale.ROOT);
        boolean oneFilePart = contentType.startsWith("multipart/")
                && message.getHeader(Exchange.ATTACHMENTS_SIZE, 0, Integer.class) == 1;
        if (oneFilePart) {
            return message.getBody(Path.class);
        }
        if (!contentType.startsWith("text/plain")) {
            throw ApiException.validation("file",
                    "send multipart/form-data with one file part and a name, or a text/plain body with ?name=");
        }
        Path staged = service.stagingFile();
        try (InputStream in = message.getBody(InputStream.class)) {
            if (in != null) {
                Files.copy(in, staged, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(staged);
            throw e;
        }
        return staged;
    }
}
