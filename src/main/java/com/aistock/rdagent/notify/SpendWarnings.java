package com.aistock.rdagent.notify;

import com.aistock.rdagent.task.SpendWarning;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** A {@link SpendWarning} (80 % of a task's budget spent) becomes a {@code budget_warning} event. */
@Component
class SpendWarnings {

    private final EventQueue events;
    private final ObjectMapper json;

    SpendWarnings(EventQueue events, ObjectMapper json) {
        this.events = events;
        this.json = json;
    }

    @EventListener
    void warned(SpendWarning warning) {
        ObjectNode payload = json.createObjectNode();
        payload.put("cost_usd", warning.costUsd());
        payload.put("limit_usd", warning.limitUsd());
        events.record(NotifyEvent.BUDGET_WARNING, warning.taskId(), null, null, payload);
    }
}
