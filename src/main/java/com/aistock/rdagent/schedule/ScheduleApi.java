package com.aistock.rdagent.schedule;

import com.aistock.rdagent.system.ApiParams;
import com.aistock.rdagent.system.Created;
import com.aistock.rdagent.system.Operators;
import com.aistock.rdagent.task.Submitted;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** Turns the schedule REST routes' headers and bodies into service calls. */
@Component("scheduleApi")
public class ScheduleApi {

    private final ScheduleService service;

    public ScheduleApi(ScheduleService service) {
        this.service = service;
    }

    public SchedulePage list(@Header("page") String page, @Header("size") String size) {
        return service.list(ApiParams.page(page), ApiParams.size(size));
    }

    public ScheduleView get(@Header("id") String id) {
        return service.get(id(id));
    }

    public Created<ScheduleView> create(@Body String body) {
        return new Created<>(service.create(body, Operators.current()));
    }

    public ScheduleView update(@Header("id") String id, @Body String body) {
        return service.update(id(id), body, Operators.current());
    }

    public ScheduleView delete(@Header("id") String id) {
        return service.delete(id(id));
    }

    public ScheduleView pause(@Header("id") String id) {
        return service.setEnabled(id(id), false, Operators.current());
    }

    public ScheduleView resume(@Header("id") String id) {
        return service.setEnabled(id(id), true, Operators.current());
    }

    /** The fire that {@code direct:run-schedule} carries out for run-now. */
    public ScheduleFire runNow(@Header("id") String id) {
        return new ScheduleFire(id(id), ScheduleFire.RUN_NOW, null, Operators.current());
    }

    /** Run-now answers with the created task (or batch); a skipped fire is a conflict the client can read. */
    public Created<Submitted> ranNow(@Body FireOutcome outcome) throws Exception {
        return new Created<>(outcome.answer());
    }

    private static long id(String id) {
        return ApiParams.id("id", id);
    }
}
