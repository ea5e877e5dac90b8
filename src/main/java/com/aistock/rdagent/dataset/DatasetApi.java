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

    public List<Dataset> list() {
        return service.list();
    }

    /** 201 with the new version, or 200 with the newest one when it already has this content. */
    public Dataset upload(@Header("name") String name, Exchange exchange) throws IOException {
        Message message = exchange.getMessage();
        Path upload = received(message);
        try {
            DatasetService.Imported imported = service.importFile(name, upload, Operators.current());
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
        return service.delete(ApiParams.id("id", id));
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
