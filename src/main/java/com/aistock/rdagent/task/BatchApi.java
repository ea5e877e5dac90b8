package com.aistock.rdagent.task;

import java.util.UUID;

import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.ApiParams;
import com.aistock.rdagent.system.Created;
import com.aistock.rdagent.system.Operators;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** The batches API: path and query parameters read or refused, then the service. */
@Component("batchApi")
public class BatchApi {

    private final BatchService service;
    private final TaskValidator validator;

    public BatchApi(BatchService service, TaskValidator validator) {
        this.service = service;
        this.validator = validator;
    }

    public Created<Batch> create(@Body String body) {
        return new Created<>(service.create(body, Operators.current()));
    }

    public BatchPage list(@Header("page") String page, @Header("size") String size) {
        return service.list(ApiParams.page(page), ApiParams.size(size));
    }

    public Batch get(@Header("id") String id) {
        return service.get(id(id));
    }

    public Batch pause(@Header("id") String id) {
        return service.pause(id(id));
    }

    public Batch resume(@Header("id") String id) {
        return service.resume(id(id));
    }

    public Batch cancel(@Header("id") String id) {
        return service.cancel(id(id));
    }

    public Batch limit(@Header("id") String id, @Body String body) {
        return service.limit(id(id), validator.tree(body));
    }

    private static UUID id(String text) {
        try {
            return UUID.fromString(text == null ? "" : text.strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("id", "must be a batch id (a UUID)");
        }
    }
}
