package com.aistock.rdagent.monitor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import com.aistock.rdagent.config.Dotenv;
import com.aistock.rdagent.config.RdAgentFiles;
import com.aistock.rdagent.dataset.Datasets;
import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.Tasks;
import com.aistock.rdagent.system.RdAgentInstallation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** The export bundle of a real run validates against the schema the OpenAPI document publishes, secrets masked. */
class TaskExportTest extends IntegrationTest {

    private static final String SECRET = "sk-export-secret-7f3a9c";
    private static final String ENV_SECRET = "sk-live-env-secret-41b2e8";

    @Autowired
    private RdAgentInstallation installation;

    @Test
    void aRealRunExportsItsCodeCurveTemplatesAndMaskedEnv() throws Exception {
        // a key in the live .env (restored after the test) and one in the task's own env: both leave masked
        Path liveEnv = installation.home().resolve(RdAgentFiles.ENV);
        Dotenv env = Dotenv.parse(Files.readString(liveEnv));
        env.set("OPENAI_API_KEY", ENV_SECRET);
        Files.writeString(liveEnv, env.text());
        // on this pool with seed 225 RD-Agent (simulated) accepts loop 0: the run has a SOTA experiment
        long pool = Datasets.knownPool(api);
        long id = Tasks.submit(api, "{\"name\": \"导出 export\", \"loop_n\": 1, \"dataset_ids\": [" + pool + "],"
                + " \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\", \"RDAGENT_SIM_SEED\": \"225\","
                + " \"PATH\": \"/usr/bin:/bin\", \"EXPORT_API_KEY\": \"" + SECRET + "\"}}");
        Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofSeconds(90));

        Api.Response response = api.get("/api/rdagent/tasks/" + id + "/export");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonSchema schema = bundleSchema();
        Set<ValidationMessage> errors = schema.validate(response.body(), InputFormat.JSON);
        assertThat(errors).as(response.body()).isEmpty();
        JsonNode bundle = response.json();
        assertThat(bundle.path("task").path("id").asLong()).isEqualTo(id);
        assertThat(bundle.path("task").path("name").asText()).isEqualTo("导出 export");
        assertThat(bundle.path("dataset").path("id").asLong()).isEqualTo(pool);
        assertThat(bundle.path("dataset").path("name").asText()).isEqualTo("loop_results");
        JsonNode sota = bundle.path("sota");
        assertThat(sota.path("experiment").asText()).isNotBlank();
        assertThat(sota.path("code").findValuesAsText("path")).anyMatch(path -> path.endsWith(".py"));
        assertThat(sota.path("equity_curve").size()).as(sota.path("reason").asText()).isPositive();
        assertThat(bundle.path("templates")).hasSize(5);
        assertThat(bundle.path("templates").get(0).path("content").asText()).contains("qlib_init");
        assertThat(bundle.path("env").findValuesAsText("key")).contains("OPENAI_API_KEY", "CHAT_MODEL");
        for (JsonNode entry : bundle.path("env")) {
            if (entry.path("key").asText().equals("OPENAI_API_KEY")) {
                assertThat(entry.path("value").asText()).isEqualTo("******");
            }
        }
        assertThat(bundle.path("task").path("params").path("env").path("EXPORT_API_KEY").asText()).isEqualTo("******");
        assertThat(bundle.path("task").path("params").path("env").path("RDAGENT_SIM_SEED").asText()).isEqualTo("225");
        assertThat(response.body()).doesNotContain(SECRET).doesNotContain(ENV_SECRET);

        // the schema does refuse: a bundle without its SOTA, or with a text id
        ObjectNode broken = bundle.deepCopy();
        broken.remove("sota");
        ((ObjectNode) broken.path("task")).put("id", "x");
        assertThat(schema.validate(broken.toString(), InputFormat.JSON)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(api.get("/api/rdagent/tasks/999999999/export").status()).isEqualTo(404);
    }

    /** ExportBundle where it sits in the served document, so its references resolve as for any OpenAPI tool. */
    private JsonSchema bundleSchema() {
        String document = api.get("/api/rdagent/openapi.json").body();
        String iri = "https://rdagent.test/export-openapi.json";
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, builder -> builder
                .metaSchema(OpenApi31.getInstance())
                .defaultMetaSchemaIri(OpenApi31.getInstance().getIri())
                .schemaLoaders(loaders -> loaders.schemas(Map.of(iri, document)::get)));
        return factory.getSchema(SchemaLocation.of(iri + "#/components/schemas/ExportBundle"));
    }
}
