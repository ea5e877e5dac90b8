package com.aistock.rdagent.task;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.aistock.rdagent.config.ConfigApi;
import com.aistock.rdagent.config.ConfigChange;
import com.aistock.rdagent.config.ConfigService;
import com.aistock.rdagent.config.ConfigStore;
import com.aistock.rdagent.config.Notes;
import com.aistock.rdagent.config.TaskConfig;
import com.aistock.rdagent.config.TemplateSnapshot;
import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.ApiParams;
import com.aistock.rdagent.system.Operators;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * A task's config in its detail: which version of each template it ran, how that differs from the file now, and
 * (ADMIN, with a reason) making those versions the live ones again.
 */
@Component("taskConfigApi")
public class TaskConfigApi {

    private final TaskService tasks;
    private final ConfigService config;
    private final ObjectMapper objectMapper;

    public TaskConfigApi(TaskService tasks, ConfigService config, ObjectMapper objectMapper) {
        this.tasks = tasks;
        this.config = config;
        this.objectMapper = objectMapper;
    }

    record Restore(String note, Map<String, String> expectedSha256) {
    }

    /** The answer of a restore: one written entry per template. */
    public record Restored(long taskId, List<ConfigStore.Written> files) {
    }

    public TaskConfig config(@Header("id") String id) {
        return config.taskConfig(manifest(ApiParams.id("id", id)));
    }

    public Restored restore(@Header("id") String id, @Body String body) {
        long taskId = ApiParams.id("id", id);
        Restore restore;
        try {
            restore = objectMapper.readValue(body == null || body.isBlank() ? "{}" : body, Restore.class);
        } catch (JsonProcessingException e) {
            throw ApiException.validation("body", "malformed JSON: " + e.getOriginalMessage());
        }
        String note = Notes.reason(restore.note());
        Map<String, String> expected = new LinkedHashMap<>();
        if (restore.expectedSha256() != null) {
            restore.expectedSha256().forEach((file, sha256) -> expected.put(file, ConfigApi.expected(sha256, null)));
        }
        Map<String, TemplateSnapshot.Entry> manifest = manifest(taskId);
        return new Restored(taskId, config.restore(manifest, expected,
                ConfigChange.restore(Operators.current(), note, taskId)));
    }

    private Map<String, TemplateSnapshot.Entry> manifest(long taskId) {
        return objectMapper.convertValue(tasks.get(taskId).config(),
                new TypeReference<Map<String, TemplateSnapshot.Entry>>() { });
    }
}
