package com.aistock.rdagent.task;

import java.util.Locale;

import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.ApiParams;
import com.aistock.rdagent.system.Created;
import com.aistock.rdagent.system.Operators;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** Turns the REST routes' headers and bodies into service calls, refusing malformed parameters. */
@Component("taskApi")
public class TaskApi {

    private final TaskService service;

    public TaskApi(TaskService service) {
        this.service = service;
    }

    public TaskSubmission submission(@Body String body) {
        return new TaskSubmission(body, "api", Operators.current(), null);
    }

    /** A submission from the API answers 201 with what it created. */
    public Created<Submitted> created(@Body Submitted tasks) {
        return new Created<>(tasks);
    }

    public TaskPage list(@Header("status") String status, @Header("q") String q,
                         @Header("page") String page, @Header("size") String size) {
        TaskStatus statusFilter = null;
        if (status != null && !status.isBlank()) {
            try {
                statusFilter = TaskStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.validation("status", "must be one of PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT");
            }
        }
        if (q != null && q.length() > 200) {
            throw ApiException.validation("q", "must be at most 200 characters");
        }
        return service.list(statusFilter, q == null || q.isBlank() ? null : q.strip(),
                ApiParams.page(page), ApiParams.size(size));
    }

    public Task get(@Header("id") String id) {
        return service.get(ApiParams.id("id", id));
    }

    public Task cancel(@Header("id") String id) {
        return service.cancel(ApiParams.id("id", id));
    }

    public TaskSubmission rerun(@Header("id") String id) {
        return TaskSubmission.rerun(ApiParams.id("id", id), Operators.current());
    }

    public Task resume(@Header("id") String id) {
        return service.resume(ApiParams.id("id", id));
    }
}
