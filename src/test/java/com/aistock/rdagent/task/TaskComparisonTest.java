package com.aistock.rdagent.task;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.aistock.rdagent.config.RdAgentFiles;
import com.aistock.rdagent.config.TemplateBlobStore;
import com.aistock.rdagent.dataset.Datasets;
import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.system.RdAgentInstallation;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 50 runs compared: 47 alike, one with a template key changed, one with another parameter, one on the next version
 * of the dataset; the differences name exactly those.
 */
class TaskComparisonTest extends IntegrationTest {

    private static final String FILE = RdAgentFiles.TEMPLATES.get(0);

    @Autowired
    private TemplateBlobStore blobs;

    @Autowired
    private RdAgentInstallation installation;

    private final List<Long> ids = new ArrayList<>();

    @AfterEach
    void deleteTasks() {
        ids.forEach(id -> jdbc.update("DELETE FROM rdagent_task WHERE id = ?", id));
    }

    @Test
    void fiftyRunsShowWhatDiffers() throws Exception {
        String live = Files.readString(installation.home().resolve(FILE));
        assertThat(live).contains("topk: 10");
        String base = store(live);
        String changed = store(live.replace("topk: 10", "topk: 7"));
        String other = RdAgentFiles.TEMPLATES.get(1);
        String otherSha = store(Files.readString(installation.home().resolve(other)));
        String pool = "cmp_" + UUID.randomUUID().toString().substring(0, 8);
        long v1 = Datasets.create(api, pool, "SH600000\nSH600009\nSZ000001\n").path("id").asLong();
        long v2 = Datasets.create(api, pool, "SH600000\nSZ000001\nSZ000063\n").path("id").asLong();

        for (int i = 0; i < 50; i++) {
            String sha = i == 47 ? changed : base;
            int loops = i == 48 ? 5 : 3;
            long dataset = i == 49 ? v2 : v1;
            ids.add(insert("run " + i, dataset, Map.of("loop_n", loops, "env", Map.of("CHAT_MODEL", "gpt-4o")),
                    Map.of(FILE, entry(sha, i == 47 ? 2 : 1), other, entry(otherSha, 3)), 0.01 * i));
        }
        String query = String.join(",", ids.stream().map(String::valueOf).toList());

        Api.Response response = api.get("/api/rdagent/tasks/compare?ids=" + query);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode json = response.json();
        assertThat(json.path("runs")).hasSize(50);
        assertThat(json.path("runs").get(0).path("id").asLong()).isEqualTo(ids.get(0));
        assertThat(json.path("runs").get(49).path("dataset").path("name").asText()).isEqualTo(pool);
        assertThat(json.path("runs").get(49).path("dataset").path("version").asInt()).isEqualTo(2);
        assertThat(json.path("runs").get(10).path("metrics").path("sota").path("values").path("ic").asDouble())
                .isEqualTo(0.1, org.assertj.core.data.Offset.offset(1e-9));
        JsonNode differences = json.path("differences");
        assertThat(differences.path("params")).hasSize(1);
        assertThat(differences.path("params").get(0).path("key").asText()).isEqualTo("loop_n");
        assertThat(differences.path("params").get(0).path("values").path(ids.get(48).toString()).asInt()).isEqualTo(5);
        assertThat(differences.path("params").get(0).path("values").path(ids.get(0).toString()).asInt()).isEqualTo(3);
        assertThat(differences.path("dataset").asBoolean()).isTrue();
        assertThat(differences.path("templates")).hasSize(1);
        JsonNode template = differences.path("templates").get(0);
        assertThat(template.path("file").asText()).isEqualTo(FILE);
        assertThat(template.path("versions").path(ids.get(47).toString()).path("version_id").asLong()).isEqualTo(2);
        List<String> keys = new ArrayList<>();
        template.path("changed_keys").forEach(key -> keys.add(key.asText()));
        assertThat(keys).containsExactly("port_analysis_config.strategy.kwargs.topk");

        // two runs alike: nothing differs
        JsonNode same = api.get("/api/rdagent/tasks/compare?ids=" + ids.get(1) + "," + ids.get(2)).json();
        assertThat(same.path("differences").path("params")).isEmpty();
        assertThat(same.path("differences").path("templates")).isEmpty();
        assertThat(same.path("differences").path("dataset").asBoolean()).isFalse();
    }

    @Test
    void idsAreRefusedByName() {
        long id = insert("one", null, Map.of(), Map.of(), 0.0);
        ids.add(id);
        expect("", 400);
        expect("?ids=" + id, 400);
        expect("?ids=" + id + "," + id, 400);
        expect("?ids=" + id + ",x", 400);
        List<String> many = new ArrayList<>();
        for (int i = 1; i <= 51; i++) {
            many.add(String.valueOf(i));
        }
        expect("?ids=" + String.join(",", many), 400);
        Api.Response missing = api.get("/api/rdagent/tasks/compare?ids=" + id + ",999999999");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("message").asText()).contains("999999999");
    }

    private void expect(String query, int status) {
        Api.Response response = api.get("/api/rdagent/tasks/compare" + query);
        assertThat(response.status()).as(query).isEqualTo(status);
        assertThat(response.json().path("field").asText()).isEqualTo("ids");
    }

    private String store(String content) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String sha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        blobs.save(sha, bytes);
        return sha;
    }

    private static Map<String, Object> entry(String sha, long version) {
        return Map.of("sha256", sha, "source_sha256", sha, "version_id", version);
    }

    private long insert(String name, Long dataset, Map<String, Object> params, Map<String, Object> manifest, double ic) {
        Map<String, Object> request = new java.util.HashMap<>(params);
        request.put("name", name);
        String metrics = Api.json(Map.of("sota", Map.of("loop", 0, "experiment", "0".repeat(32), "decision", true,
                "values", Map.of("ic", ic), "non_finite", List.of(), "finished_at", "2026-11-06T10:00:00Z")));
        return jdbc.queryForObject("""
                INSERT INTO rdagent_task (name, scenario, status, origin, dataset_id, params, config_hash,
                                          config_manifest, metrics)
                VALUES (?, 'fin_quant', 'SUCCEEDED', 'api', ?, CAST(? AS jsonb), repeat('0', 64), CAST(? AS jsonb),
                        CAST(? AS jsonb))
                RETURNING id""", Long.class, name, dataset, Api.json(request), Api.json(manifest), metrics);
    }
}
